namespace BtrfsBackup.Scanning;

/// <summary>Whether backups may be received at a pair's target, and if not, why not.</summary>
public enum TargetStatus
{
    /// <summary>The pair has no target: it only takes snapshots.</summary>
    NotConfigured,

    /// <summary>The target directory does not exist (is the backup disk mounted?).</summary>
    Missing,

    /// <summary>The target is not on btrfs.</summary>
    NotBtrfs,

    /// <summary>The backup disk is not mounted: the directory is on the system disk.</summary>
    OnSourceFilesystem,

    /// <summary>Reachable, but not this pair's to write: another source's, or holding backups no record proves are the pair's.</summary>
    Refused,

    /// <summary>Backups can be received there.</summary>
    Reachable,
}
