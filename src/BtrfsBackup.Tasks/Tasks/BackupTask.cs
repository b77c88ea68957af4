using BtrfsBackup.Hosts;
using BtrfsBackup.Logging;
using BtrfsBackup.Planning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Shape shared by the steps, after MSBuild's tasks: inputs are settable properties, <see cref="Run"/>
/// runs once and returns the outcome, results are read from output properties afterwards.
/// </summary>
internal abstract class BackupTask
{
    public ITaskLog Log { get; set; } = new ConsoleTaskLog();

    /// <summary>The host, transfers and clock to act through; this machine unless a test gives a model.</summary>
    public RunEnvironment Environment { get; set; } = RunEnvironment.ThisMachine();

    /// <summary>Log the plan (every btrfs command and why) and change nothing.</summary>
    public bool DryRun { get; set; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Runs the step; a failure of any kind comes back as the outcome, never as an exception.</summary>
    public StepOutcome Run() => RunAsync().GetAwaiter().GetResult();

    public async Task<StepOutcome> RunAsync()
    {
        try
        {
            await ExecuteAsync();
            return StepOutcome.Done;
        }
        catch (Exception e)
        {
            return StepOutcome.From(e);
        }
    }

    /// <summary>The machine a pair's source and snapshot_dir are on.</summary>
    protected IBtrfsHost SourceHost(Configuration.BackupPair pair) => Environment.HostFor(pair.SourceAccess);

    /// <summary>The machine a pair's target is on.</summary>
    protected IBtrfsHost TargetHost(Configuration.BackupPair pair) => Environment.HostFor(pair.TargetAccess);

    /// <exception cref="BackupException">The step failed; the message says what and where, without naming the pair.</exception>
    protected abstract Task ExecuteAsync();

    /// <summary>Logs a planned command as <paramref name="host"/> runs it.</summary>
    protected void LogStep(PlannedStep step, IBtrfsHost host) => LogCommand(host.CommandLine(step.Command), step.Reason);

    /// <summary>"run: COMMAND  # REASON", or in a dry run "[dry run] would run: ...": the one format of every plan line.</summary>
    protected void LogCommand(string commandLine, string reason) =>
        Log.Information(DryRun ? $"[dry run] would run: {commandLine}  # {reason}" : $"run: {commandLine}  # {reason}");

    /// <summary>The local time now, from the environment's clock, in its time zone.</summary>
    protected DateTimeOffset LocalNow() => TimeZoneInfo.ConvertTime(Environment.Clock.GetUtcNow(), Environment.Clock.LocalTimeZone);
}
