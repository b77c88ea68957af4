using BtrfsBackup;
using BtrfsBackup.Aliases;
using BtrfsBackup.Cli;
using BtrfsBackup.Hosting;
using Cake.Core;
using Cake.Core.Diagnostics;
using Spectre.Console;

// btrfsbackup TARGET [--pair=NAME ...] [--dryrun] ...: the Cake targets of the scripts, compiled,
// on Cake's own engine and hosts. See --help.
// The man page, btrfsbackup(8), from the same text as --help: contrib/install.sh installs what this prints.
if (args is ["--man"])
{
    Console.Out.Write(ManPage.Render());
    return 0;
}

var invocation = Invocation.Parse(args);
if (invocation.Help && invocation.Target is { } asked && !HelpText.IsTargetName(asked))
{
    Console.Error.WriteLine($"Error: {HelpText.UnknownTarget(asked)}");
    return ExitCodes.Failure;
}

if (invocation.Help || (invocation.Target is null && !invocation.Version))
{
    Console.Out.Write(HelpText.For(invocation.Target));
    return invocation.Help ? 0 : 1;
}

if (invocation.Version)
{
    Console.Out.WriteLine(HelpText.Version);
    return 0;
}

// No colour into a file, a pipe or the journal, nor when NO_COLOR is set (https://no-color.org).
var plain = PlainConsole.Wanted;
IConsole console = new Cake.Core.CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime()));
console = plain ? new PlainConsole(console) : console;
var ansi = AnsiConsole.Create(new AnsiConsoleSettings
{
    Out = new AnsiConsoleOutput(Console.Out),
    Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
});
var cake = CakeSetup.For(invocation, console, ansi);
try
{
    if (invocation.Problem is { } problem)
    {
        throw new CakeException(problem);
    }

    var target = invocation.Target!;
    // Before the configuration is read: a mistyped target is the first thing to say.
    if (!HelpText.IsTargetName(target))
    {
        throw new CakeException(HelpText.UnknownTarget(target));
    }

    // Disposed however the program ends (BtrfsCompleteRun ends it too): locks released, ssh connections closed.
    using var run = cake.Context.BtrfsBackupRun(new BtrfsRunSettings
    {
        ConfigPath = ConfigLocation.Find(cake.Context),
        RequirePairSelection = BackupTasks.TargetsNeedingPairs.Contains(target, StringComparer.OrdinalIgnoreCase),
    });
    using var signals = cake.Context.BtrfsStopOnSignals(run);
    BackupTasks.RegisterAll(run, cake.Host.Task);
    if (!BackupTasks.Targets.Any(known => string.Equals(known.Name, target, StringComparison.OrdinalIgnoreCase))
        && !run.Pairs.Any(pair => target.EndsWith($":{pair.Pair.Name}", StringComparison.OrdinalIgnoreCase)))
    {
        throw new CakeException($"Unknown pair in target '{target}'. Pairs: {string.Join(", ", run.Pairs.Select(pairRun => pairRun.Pair.Name))}.");
    }

    if (invocation.Exclusive)
    {
        cake.Host.Settings.UseExclusiveTarget();
    }

    var report = await cake.Host.RunTargetAsync(target);
    cake.Banners.EndOfTasks();
    if (report is not null)
    {
        cake.Context.BtrfsCompleteRun(run);
    }

    return 0;
}
catch (Exception e) when (e is CakeException or BackupException)
{
    cake.Log.Error("Error: {0}", e.Message);
    return e is CakeException { ExitCode: > ExitCodes.Success } carried ? carried.ExitCode : ExitCodes.Failure;
}
