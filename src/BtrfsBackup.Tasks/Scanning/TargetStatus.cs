namespace BtrfsBackup.Scanning;

/// <summary>Whether backups may be received at a pair's target, and if not, why not.</summary>
public enum TargetStatus
{
    NotConfigured,
    Missing,
    NotBtrfs,

    /// <summary>The backup disk is not mounted: the directory is on the system disk.</summary>
    OnSourceFilesystem,
    Reachable,
}
