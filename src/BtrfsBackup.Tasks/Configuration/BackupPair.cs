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

    /// <summary>How the source and snapshot_dir are reached when they are on another machine; null when they are on this one.</summary>
    internal SshAccess? SourceAccess { get; init; }

    /// <summary>How the target is reached when it is on another machine; null when it is on this one.</summary>
    internal SshAccess? TargetAccess { get; init; }

    /// <summary>How the stream travels between the two machines (compression, rate limit).</summary>
    internal StreamOptions Stream { get; init; } = StreamOptions.Plain;

    /// <summary>
    /// After how many days without a new backup the pair is stale (exit code 3); null when it is never
    /// (no target, or <c>alert_after_days = 0</c>).
    /// </summary>
    public int? AlertAfterDays { get; init; }

    /// <summary>Whether a snapshot is taken every time (the default) or only when the source changed since the newest one.</summary>
    public SnapshotWhen SnapshotWhen { get; init; } = SnapshotWhen.Always;

    /// <summary>Whether <c>--apt</c> (the APT hook in contrib/apt) selects this pair.</summary>
    public bool SnapshotOnApt { get; init; }

    /// <summary>The source as the user wrote it: <c>ssh://host/path</c> for a remote one.</summary>
    public string SourceLocation => Describe(SourceAccess, Source);

    /// <summary>The snapshot_dir as the user wrote it.</summary>
    public string SnapshotDirLocation => Describe(SourceAccess, SnapshotDir);

    /// <summary>The target as the user wrote it; null when there is none.</summary>
    public string? TargetLocation => Target is null ? null : Describe(TargetAccess, Target);

    /// <summary>Every setting equal, the lists item by item.</summary>
    public bool Equals(BackupPair? other) =>
        other is not null
        && (Name, Source, SnapshotDir, Target, SourceRetention, TargetRetention) == (other.Name, other.Source, other.SnapshotDir, other.Target, other.SourceRetention, other.TargetRetention)
        && IgnoreNested.SequenceEqual(other.IgnoreNested)
        && (SourceAccess, TargetAccess, Stream, AlertAfterDays, SnapshotWhen, SnapshotOnApt) == (other.SourceAccess, other.TargetAccess, other.Stream, other.AlertAfterDays, other.SnapshotWhen, other.SnapshotOnApt);

    /// <summary>A hash consistent with <see cref="Equals(BackupPair?)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Name, Source, SnapshotDir, Target, SourceRetention, TargetRetention, SourceAccess, TargetAccess);

    private static string Describe(SshAccess? access, string path) => access is null ? path : access.Endpoint + path;
}
