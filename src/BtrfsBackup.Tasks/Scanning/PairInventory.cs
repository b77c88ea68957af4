using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Scanning;

/// <summary>
/// Everything the planners need to know about one pair, read in one scan. Decisions are pure
/// functions of this; a dry run advances it in memory instead of on disk.
/// </summary>
public sealed record PairInventory(
    BackupPair Pair,
    SubvolumeInfo Source,
    SnapshotLocation SnapshotDir,
    TargetStatus TargetStatus,
    string TargetStatusReason,
    SnapshotLocation? Target)
{
    /// <summary>
    /// The UUID of the source snapshot that was the next incremental's parent when the target was
    /// last reached, so that retention can protect it while the backup disk is away.
    /// </summary>
    public Guid? LastKnownParent { get; init; }

    /// <summary>The filesystem the target was on at scan time, so a send can check it is still there.</summary>
    public MountedFilesystem? TargetFilesystem { get; init; }

    public bool IsTargetReachable => TargetStatus == TargetStatus.Reachable && Target is not null;
}
