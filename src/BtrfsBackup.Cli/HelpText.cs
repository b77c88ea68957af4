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

    private static readonly string[] PairSteps = ["Scan", "Snapshot", "Send", "Purge", "Restore", "Verify"];

    public static string For(string? target)
    {
        var text = new StringBuilder();
        if (target is not null && BackupTasks.Targets.FirstOrDefault(known => string.Equals(known.Name, target, StringComparison.OrdinalIgnoreCase)) is { Name: not null } one)
        {
            text.AppendLine($"btrfsbackup {one.Name}: {one.Description}");
            text.AppendLine();
        }

        text.AppendLine("Usage: btrfsbackup TARGET [--pair=NAME ...] [--all | --apt] [--suffix=TEXT] [--snapshot=NAME --to=PATH] [--verify=MODE] [--all-backups] [--why] [--config=PATH] [--format=text|json] [--lock-timeout=SECONDS] [--dryrun] [--verbosity=LEVEL]");
        text.AppendLine("       btrfsbackup help [TARGET]     btrfsbackup --version");
        text.AppendLine();
        text.AppendLine("Targets:");
        foreach (var (name, description) in BackupTasks.Targets)
        {
            text.AppendLine($"  {name,-10} {description}");
        }

        text.AppendLine();
        text.AppendLine("Arguments:");
        text.AppendLine("  --pair=NAME        the pairs to work on (repeatable or comma-separated); nightly and list take every pair without it");
        text.AppendLine("  --all              every pair (snapshot, backup and purge need --pair or --all)");
        text.AppendLine("  --apt              the pairs with snapshot_on_apt = true, instead of --pair or --all (contrib/apt's hook)");
        text.AppendLine("  --suffix=TEXT      a comment at the end of the snapshot's name, e.g. pre-upgrade");
        text.AppendLine("  --snapshot=NAME    restore: the snapshot to restore, as list shows it, or latest");
        text.AppendLine("  --to=PATH          restore: the new subvolume to create (must not exist; its folder must)");
        text.AppendLine("  --from=SIDE        restore: snapshot_dir or target only (default: the snapshot_dir when it has it, else the target)");
        text.AppendLine("  --keep-received    restore: keep the read-only copy received on the way");
        text.AppendLine($"  --config=PATH      the configuration; else ${ConfigLocation.EnvironmentVariable}, else {ConfigLocation.SystemPath}");
        text.AppendLine("  --format=FORMAT    text (the default) or json, for status and list (with --verbosity=quiet, standard output is the JSON alone)");
        text.AppendLine("  --verify=MODE      verify: metadata (read-only, Received UUID) or content (also every file; the default)");
        text.AppendLine("  --all-backups      verify: every backup on the target, not only the newest");
        text.AppendLine("  --why              list: the retention rule that keeps each snapshot and backup (first of week 2026-W47 (keep_weekly = 8))");
        text.AppendLine("  --lock-timeout=S   how long to wait for a pair another run is working on: default 300 seconds, 0 fails that pair at once");
        text.AppendLine("  --dryrun           show every btrfs command and why, change nothing");
        text.AppendLine("  --verbosity=LEVEL  quiet, minimal, normal, verbose (each command, each snapshot kept and why) or diagnostic");
        text.AppendLine("  --tree             the task graph;  --description  each task's description;  --exclusive  the target alone");
        text.AppendLine("  --no-report        no task summary table at the end");
        text.AppendLine();
        text.AppendLine($"Configuration: --config=PATH, else ${ConfigLocation.EnvironmentVariable}, else {ConfigLocation.SystemPath}");
        text.AppendLine("               (run from a checkout's build output: the checkout's backup_config.toml).");
        text.AppendLine("Per-pair tasks can be targets too: Scan:PAIR, Snapshot:PAIR, Send:PAIR, Purge:PAIR, Restore:PAIR, Verify:PAIR.");
        text.AppendLine("No colour when standard output is not a terminal or NO_COLOR is set.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 every selected pair succeeded (skips included); 1 a pair failed, the run was interrupted, or the configuration or arguments are invalid;");
        text.AppendLine("            3 no pair failed but a pair is stale (no backup for longer than its alert_after_days);");
        text.AppendLine("            4 verify found a backup that differs from its source snapshot (and nothing failed; 4 wins over 3).");
        return text.ToString();
    }
}
