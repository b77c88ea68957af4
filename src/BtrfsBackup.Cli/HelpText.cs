using System.Reflection;
using System.Text;
using BtrfsBackup.Hosting;

namespace BtrfsBackup.Cli;

/// <summary>What <c>btrfsbackup --help</c> and <c>btrfsbackup help TARGET</c> print.</summary>
internal static class HelpText
{
    public static string Version =>
        $"btrfsbackup {typeof(BackupTasks).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?"}";

    public static string For(string? target)
    {
        var text = new StringBuilder();
        if (target is not null && BackupTasks.Targets.FirstOrDefault(known => string.Equals(known.Name, target, StringComparison.OrdinalIgnoreCase)) is { Name: not null } one)
        {
            text.AppendLine($"btrfsbackup {one.Name}: {one.Description}");
            text.AppendLine();
        }

        text.AppendLine("Usage: btrfsbackup TARGET [--pair=NAME ...] [--all] [--suffix=TEXT] [--verify=MODE] [--all-backups] [--config=PATH] [--dryrun] [--verbosity=LEVEL]");
        text.AppendLine("       btrfsbackup help [TARGET]");
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
        text.AppendLine("  --suffix=TEXT      a comment at the end of the snapshot's name, e.g. pre-upgrade");
        text.AppendLine($"  --config=PATH      the configuration; else ${ConfigLocation.EnvironmentVariable}, else {ConfigLocation.SystemPath}");
        text.AppendLine("  --verify=MODE      verify: metadata (read-only, Received UUID) or content (also every file; the default)");
        text.AppendLine("  --all-backups      verify: every backup on the target, not only the newest");
        text.AppendLine("  --dryrun           show every btrfs command and why, change nothing");
        text.AppendLine("  --verbosity=LEVEL  quiet, minimal, normal, verbose (each command, each snapshot kept and why) or diagnostic");
        text.AppendLine("  --tree             the task graph;  --description  each task's description;  --exclusive  the target alone");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 every selected pair succeeded (skips included); 1 a pair failed, the run was interrupted, or the configuration or arguments are invalid;");
        text.AppendLine("            4 verify found a backup that differs from its source snapshot (and nothing failed).");
        return text.ToString();
    }
}
