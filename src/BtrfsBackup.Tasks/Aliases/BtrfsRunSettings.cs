using BtrfsBackup.Hosts;
using BtrfsBackup.Tasks;
using BtrfsBackup.Watching;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Aliases;

/// <summary>
/// Settings for <see cref="BtrfsRunAliases.BtrfsBackupRun"/>. Left null, each comes from the
/// command line: <c>--config</c>, <c>--pair</c>, <c>--all</c>, <c>--suffix</c>, <c>--dryrun</c>, <c>--format</c>.
/// </summary>
public sealed class BtrfsRunSettings
{
    /// <summary>The configuration file; left null, <c>--config</c>, else <c>backup_config.toml</c> (a relative path from the script's folder).</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Pair names; empty means every pair, when <see cref="RequirePairSelection"/> allows it.</summary>
    public IList<string>? Pairs { get; set; }

    /// <summary>Every pair, whatever <see cref="Pairs"/> says; left null, whether <c>--all</c> was given.</summary>
    public bool? All { get; set; }

    /// <summary>Selects the pairs with <c>snapshot_on_apt = true</c> (the APT hook's selection); left null, <c>--apt</c>.</summary>
    public bool? Apt { get; set; }

    /// <summary>A comment at the end of the snapshot's name (<c>pre-upgrade</c>); left null, <c>--suffix</c>, else none.</summary>
    public string? Suffix { get; set; }

    /// <summary>Plan and print every btrfs command with its reason, changing nothing; left null, whether <c>--dryrun</c> (or <c>--noop</c>, <c>--whatif</c>) was given.</summary>
    public bool? DryRun { get; set; }

    /// <summary>What the restore target restores; when null, read from <c>--snapshot</c>, <c>--to</c>, <c>--from</c> and <c>--keep-received</c>.</summary>
    public RestoreRequest? Restore { get; set; }

    /// <summary>How <c>status</c> and <c>list</c> print (<c>--format=text</c>, the default, or <c>--format=json</c>).</summary>
    public OutputFormat? Format { get; set; }

    /// <summary>How far the <c>verify</c> target compares; left null, <c>--verify=metadata|content</c> (default content).</summary>
    public VerifyMode? Verify { get; set; }

    /// <summary>The <c>verify</c> target checks every backup, not only the newest; left null, <c>--all-backups</c>.</summary>
    public bool? AllBackups { get; set; }

    /// <summary>The <c>list</c> target shows the retention rule that keeps each snapshot; left null, <c>--why</c>.</summary>
    public bool? Why { get; set; }

    /// <summary>How long a run waits for a pair another run holds; left null, <c>--lock-timeout=SECONDS</c> (default 300; 0 fails at once).</summary>
    public TimeSpan? LockTimeout { get; set; }

    /// <summary>Targets that change a chosen pair (snapshot, backup, purge) need <c>--pair</c> or <c>--all</c>.</summary>
    public bool RequirePairSelection { get; set; }

    /// <summary>Arguments the script reads itself (<c>--offsite-disk</c>, say): without naming them here, an unknown argument stops the run.</summary>
    public IList<string> AdditionalArguments { get; } = [];

    /// <summary>What the run acts through; this machine when left null (tests give a model).</summary>
    internal RunEnvironment? Environment { get; set; }
}
