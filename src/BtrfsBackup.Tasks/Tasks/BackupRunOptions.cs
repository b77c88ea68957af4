using BtrfsBackup.Verification;

namespace BtrfsBackup.Tasks;

/// <summary>What a run was asked to do, beyond which pairs.</summary>
public sealed record BackupRunOptions
{
    /// <summary>Print every btrfs command and its reason; change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Comment for the snapshots this run takes, e.g. <c>pre-upgrade</c>.</summary>
    public string? Suffix { get; init; }

    /// <summary>How far <c>verify</c> compares (<c>--verify=metadata|content</c>).</summary>
    public VerifyMode Verify { get; init; } = VerifyMode.Content;

    /// <summary><c>verify</c> checks every backup on the target, not only the newest (<c>--all-backups</c>).</summary>
    public bool AllBackups { get; init; }
}
