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
    /// The target's record: as read, or, for a target without one, the record the first send writes
    /// (claiming the directory, adopting the backups this pair's snapshots prove are its own). Null
    /// when the target could not be read.
    /// </summary>
    internal TargetRecord? TargetRecord { get; init; }

    /// <summary>
    /// The pair's snapshots that have reached the target (backed up there now, or recorded as sent):
    /// from the target when it is reachable, else from the snapshot_dir's record. Null when nothing is
    /// known, which makes retention keep every source snapshot.
    /// </summary>
    public IReadOnlySet<Guid>? SentSnapshots { get; init; }

    /// <summary>Subvolumes inside the source that its snapshots do not contain and no pair covers (real paths).</summary>
    public IReadOnlyList<string> NestedSubvolumes { get; init; } = [];

    /// <summary>
    /// The snapshot_dir is a plain directory inside the source subvolume (not a subvolume of its own):
    /// the tool's own snapshots, records and deletions there change the source's generation.
    /// </summary>
    public bool SnapshotDirInSource { get; init; }

    /// <summary>Whether the snapshot_dir exists yet (the first snapshot makes it).</summary>
    public bool SnapshotDirExists { get; init; } = true;

    /// <summary>The filesystem the target was on at scan time, so a send can check it is still there.</summary>
    public MountedFilesystem? TargetFilesystem { get; init; }

    /// <summary>Whether backups can be received at the target now (<see cref="TargetStatus.Reachable"/> and scanned).</summary>
    public bool IsTargetReachable => TargetStatus == TargetStatus.Reachable && Target is not null;

    /// <summary>Whether the snapshot reached the target, by the records (also while the target is away).</summary>
    public bool HasBeenSent(Snapshot snapshot) => SentSnapshots?.Contains(snapshot.Uuid) == true;
}
