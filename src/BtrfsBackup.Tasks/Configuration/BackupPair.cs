namespace BtrfsBackup.Configuration;

/// <summary>
/// One source subvolume, where its snapshots live and where they are backed up. A null retention
/// means that location is never purged; a null target makes a snapshot-only pair.
/// </summary>
public sealed record BackupPair(
    string Name,
    string Source,
    string SnapshotDir,
    string? Target,
    RetentionPolicy? SourceRetention,
    RetentionPolicy? TargetRetention);
