namespace BtrfsBackup.Configuration;

/// <summary>
/// How long snapshots stay at one location: a snapshot is kept while it is among the newest
/// <see cref="KeepCount"/> or younger than <see cref="KeepDays"/> days, whichever keeps more.
/// </summary>
public sealed record RetentionPolicy(int KeepDays, int KeepCount)
{
    public override string ToString() => $"keep_days = {KeepDays}, keep_count = {KeepCount}";
}
