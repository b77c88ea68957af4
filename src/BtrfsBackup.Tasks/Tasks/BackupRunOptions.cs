using BtrfsBackup.Watching;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Tasks;

/// <summary>What a run was asked to do, beyond which pairs.</summary>
public sealed record BackupRunOptions
{
    /// <summary>Print every btrfs command and its reason; change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Comment for the snapshots this run takes, e.g. <c>pre-upgrade</c>.</summary>
    public string? Suffix { get; init; }

    /// <summary>What the restore target restores, and where to; null when the command line asks for no restore.</summary>
    public RestoreRequest? Restore { get; init; }

    /// <summary>What the run leaves behind when it ends (history, metrics, hooks): the configuration's <c>[run]</c>; nothing when made in process without one.</summary>
    internal Configuration.RunSettings RunSettings { get; init; } = Configuration.RunSettings.None;

    /// <summary>How <c>status</c> and <c>list</c> print their report.</summary>
    public OutputFormat Format { get; init; } = OutputFormat.Text;
    /// <summary>How far <c>verify</c> compares (<c>--verify=metadata|content</c>).</summary>
    public VerifyMode Verify { get; init; } = VerifyMode.Content;

    /// <summary>
    /// How long to wait for a pair's lock while another run holds it (<c>--lock-timeout=SECONDS</c>, 300 on
    /// the command line); zero, the default here, fails the pair at once.
    /// </summary>
    public TimeSpan LockTimeout { get; init; }

    /// <summary><c>verify</c> checks every backup on the target, not only the newest (<c>--all-backups</c>).</summary>
    public bool AllBackups { get; init; }

    /// <summary><c>list</c> shows the retention rule that keeps each snapshot and backup (<c>--why</c>).</summary>
    public bool Why { get; init; }
}
