using System.Reflection;
using System.Text;
using BtrfsBackup.Hosting;

namespace BtrfsBackup.Cli;

/// <summary>What <c>btrfsbackup --help</c> and <c>btrfsbackup help TARGET</c> print.</summary>
internal static class HelpText
{
    public static string Version =>
        $"btrfsbackup {typeof(BackupTasks).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?"}";

    /// <summary>An unknown target, as both <c>btrfsbackup TARGET</c> and <c>btrfsbackup help TARGET</c> say it.</summary>
    public static string UnknownTarget(string target) =>
        $"Unknown target '{target}'. Targets: {string.Join(", ", BackupTasks.Targets.Select(known => known.Name))} (and the per-pair tasks {string.Join(", ", PairSteps.Select(step => $"{step}:PAIR"))}); btrfsbackup --help says more.";

    /// <summary>Whether <paramref name="target"/> can name a task: a standard target, or a per-pair task of some pair.</summary>
    public static bool IsTargetName(string target) =>
        BackupTasks.Targets.Any(known => string.Equals(known.Name, target, StringComparison.OrdinalIgnoreCase))
        || PairSteps.Any(step => target.StartsWith($"{step}:", StringComparison.OrdinalIgnoreCase) && target.Length > step.Length + 1);

    /// <summary>The per-pair steps a target can name as <c>STEP:PAIR</c>.</summary>
    public static readonly string[] PairSteps = ["Scan", "Snapshot", "Send", "Purge", "Restore", "Verify"];

    /// <summary>The command line's synopsis, without the program's name.</summary>
    public const string Synopsis = "TARGET [--pair=NAME ...] [--all | --apt] [--suffix=TEXT] [--snapshot=NAME --to=PATH] [--verify=MODE] [--all-backups] [--why] [--config=PATH] [--format=text|json] [--lock-timeout=SECONDS] [--dryrun] [--verbosity=LEVEL]";

    public static string ConfigurationSearch => $"--config=PATH, else ${ConfigLocation.EnvironmentVariable}, else {ConfigLocation.SystemPath}";

    public const string ConfigurationFromCheckout = "run from a checkout's build output: the checkout's backup_config.toml";

    /// <summary>
    /// Every argument, as <c>--help</c> lists it and the man page describes it (one source for both);
    /// <see cref="HelpArgument.SameLine"/> ones share the line before in <c>--help</c>.
    /// </summary>
    public static IReadOnlyList<HelpArgument> Arguments { get; } =
    [
        new("--pair=NAME", "the pairs to work on (repeatable or comma-separated); nightly and list take every pair without it"),
        new("--all", "every pair (snapshot, backup and purge need --pair or --all)"),
        new("--apt", "the pairs with snapshot_on_apt = true, instead of --pair or --all (contrib/apt's hook)"),
        new("--suffix=TEXT", "a comment at the end of the snapshot's name, e.g. pre-upgrade"),
        new("--snapshot=NAME", "restore: the snapshot to restore, as list shows it, or latest"),
        new("--to=PATH", "restore: the new subvolume to create (must not exist; its folder must)"),
        new("--from=SIDE", "restore: snapshot_dir or target only (default: the snapshot_dir when it has it, else the target)"),
        new("--keep-received", "restore: keep the read-only copy received on the way"),
        new("--config=PATH", $"the configuration; else ${ConfigLocation.EnvironmentVariable}, else {ConfigLocation.SystemPath}"),
        new("--format=FORMAT", "text (the default) or json, for status and list (with --verbosity=quiet, standard output is the JSON alone)"),
        new("--verify=MODE", "verify: metadata (read-only, Received UUID) or content (also every file; the default)"),
        new("--all-backups", "verify: every backup on the target, not only the newest"),
        new("--why", "list: the retention rule that keeps each snapshot and backup (first of week 2026-W47 (keep_weekly = 8))"),
        new("--lock-timeout=S", "how long to wait for a pair another run is working on: default 300 seconds, 0 fails that pair at once"),
        new("--dryrun", "show every btrfs command and why, change nothing"),
        new("--verbosity=LEVEL", "quiet, minimal, normal, verbose (each command, each snapshot kept and why) or diagnostic"),
        new("--tree", "the task graph"),
        new("--description", "each task's description", SameLine: true),
        new("--exclusive", "the target alone", SameLine: true),
        new("--no-report", "no task summary table at the end"),
    ];

    /// <summary>The exit codes and what each means, as <c>--help</c> and the man page say them.</summary>
    public static IReadOnlyList<(int Code, string Meaning)> ExitStatus { get; } =
    [
        (ExitCodes.Success, "every selected pair succeeded (skips included)"),
        (ExitCodes.Failure, "a pair failed, the run was interrupted, or the configuration or arguments are invalid"),
        (ExitCodes.Stale, "no pair failed but a pair is stale (no backup for longer than its alert_after_days)"),
        (ExitCodes.VerifyFoundDifferences, "verify found a backup that differs from its source snapshot (and nothing failed; 4 wins over 3)"),
    ];

    public static string For(string? target)
    {
        var text = new StringBuilder();
        if (target is not null && BackupTasks.Targets.FirstOrDefault(known => string.Equals(known.Name, target, StringComparison.OrdinalIgnoreCase)) is { Name: not null } one)
        {
            text.AppendLine($"btrfsbackup {one.Name}: {one.Description}");
            text.AppendLine();
        }

        text.AppendLine($"Usage: btrfsbackup {Synopsis}");
        text.AppendLine("       btrfsbackup help [TARGET]     btrfsbackup --version");
        text.AppendLine();
        text.AppendLine("Targets:");
        foreach (var (name, description) in BackupTasks.Targets)
        {
            text.AppendLine($"  {name,-10} {description}");
        }

        text.AppendLine();
        text.AppendLine("Arguments:");
        foreach (var argument in Arguments)
        {
            if (argument.SameLine)
            {
                text.Length -= Environment.NewLine.Length;
                text.AppendLine($";  {argument.Syntax}  {argument.Meaning}");
            }
            else
            {
                text.AppendLine($"  {argument.Syntax,-18} {argument.Meaning}");
            }
        }

        text.AppendLine();
        text.AppendLine($"Configuration: {ConfigurationSearch}");
        text.AppendLine($"               ({ConfigurationFromCheckout}).");
        text.AppendLine($"Per-pair tasks can be targets too: {string.Join(", ", PairSteps.Select(step => $"{step}:PAIR"))}.");
        text.AppendLine("No colour when standard output is not a terminal or NO_COLOR is set.");
        text.AppendLine();
        text.AppendLine($"Exit codes: {ExitStatus[0].Code} {ExitStatus[0].Meaning}; {ExitStatus[1].Code} {ExitStatus[1].Meaning};");
        text.AppendLine($"            {ExitStatus[2].Code} {ExitStatus[2].Meaning};");
        text.AppendLine($"            {ExitStatus[3].Code} {ExitStatus[3].Meaning}.");
        return text.ToString();
    }
}

/// <summary>One argument: how it is written, and what it does.</summary>
internal sealed record HelpArgument(string Syntax, string Meaning, bool SameLine = false);
