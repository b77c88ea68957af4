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
    RetentionPolicy? TargetRetention)
{
    /// <summary>Nested subvolumes inside the source the user knows are not in its snapshots (absolute paths; each covers what is below it).</summary>
    public IReadOnlyList<string> IgnoreNested { get; init; } = [];

    public bool Equals(BackupPair? other) =>
        other is not null
        && (Name, Source, SnapshotDir, Target, SourceRetention, TargetRetention) == (other.Name, other.Source, other.SnapshotDir, other.Target, other.SourceRetention, other.TargetRetention)
        && IgnoreNested.SequenceEqual(other.IgnoreNested);

    public override int GetHashCode() => HashCode.Combine(Name, Source, SnapshotDir, Target, SourceRetention, TargetRetention, IgnoreNested.Count);
}
