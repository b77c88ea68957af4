using System.Globalization;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Watching;

/// <summary>Where a pair's newest backup was learnt from.</summary>
internal enum BackupEvidence
{
    /// <summary>No backup is known: the target never received one, or nothing says it did.</summary>
    None,

    /// <summary>The newest backup on the target, read in this run.</summary>
    Target,

    /// <summary>The target could not be read (unplugged, unreachable, refused): the snapshot_dir's record of what was sent.</summary>
    SourceRecord,
}

/// <summary>
/// How old a pair's newest snapshot and newest backup are at the pair's "now", and whether the pair
/// is stale: its newest backup (by the instant in its name) is older than <c>alert_after_days</c>.
/// A pair that never had a backup counts from its oldest snapshot, which stays on the source until it
/// is sent; with no snapshot at all there is nothing to back up yet, so it is not stale.
/// </summary>
internal sealed record PairFreshness(
    string Pair,
    DateTimeOffset Now,
    DateTimeOffset? NewestSnapshot,
    DateTimeOffset? NewestBackup,
    BackupEvidence Evidence,
    DateTimeOffset? OldestSnapshot,
    int? AlertAfterDays)
{
    public TimeSpan? NewestSnapshotAge => Now - NewestSnapshot;

    public TimeSpan? NewestBackupAge => Now - NewestBackup;

    /// <summary>What the limit is counted from: the newest backup, or, with none, the oldest snapshot.</summary>
    public TimeSpan? CountedAge => NewestBackup is not null ? NewestBackupAge : Now - OldestSnapshot;

    /// <summary>
    /// The newest backup holds the source as it is now: with <c>snapshot_when = "changed"</c>, the source has not
    /// changed since its newest snapshot and that snapshot is on the target, seen by this scan. No new backup is due, so the pair is not stale
    /// (while the target is away, its age counts as for any pair: a backup disk lost for good must still raise the alarm).
    /// </summary>
    public bool BackupIsCurrent { get; init; }

    public bool IsStale => !BackupIsCurrent && AlertAfterDays is { } days && CountedAge > TimeSpan.FromDays(days);

    /// <summary>Why the pair is stale ("newest backup 9 days old (alert_after_days = 7)"); null when it is not.</summary>
    public string? StaleReason => !IsStale ? null
        : NewestBackup is not null
            ? $"newest backup {Days(CountedAge!.Value)} old (alert_after_days = {AlertAfterDays})"
            : $"no backup yet, oldest snapshot {Days(CountedAge!.Value)} old (alert_after_days = {AlertAfterDays})";

    /// <summary>The run summary's line for a stale pair; null when it is not stale.</summary>
    public string? StaleLine => StaleReason is { } reason ? $"STALE: {reason}" : null;

    /// <summary>The pair's freshness as the inventory shows it at <paramref name="now"/>.</summary>
    public static PairFreshness Of(PairInventory inventory, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var snapshots = inventory.SnapshotDir.Snapshots;
        var (newestBackup, evidence) = NewestBackupOf(inventory);
        return new PairFreshness(
            inventory.Pair.Name,
            now,
            snapshots.Count == 0 ? null : snapshots.Max(snapshot => snapshot.Name.Instant),
            newestBackup,
            evidence,
            snapshots.Count == 0 ? null : snapshots.Min(snapshot => snapshot.Name.Instant),
            inventory.Pair.AlertAfterDays)
        {
            BackupIsCurrent = inventory.Pair.SnapshotWhen == Configuration.SnapshotWhen.Changed
                && inventory.IsTargetReachable
                && Planning.SourceChange.UnchangedSince(inventory) is { } newest
                && inventory.HasBeenSent(newest),
        };
    }

    /// <summary>Whole days, rounded down: "9 days", "1 day".</summary>
    public static string Days(TimeSpan age)
    {
        var days = (long)Math.Floor(age.TotalDays);
        return days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");
    }

    // Instants, not names: a name's text orders wrongly across offsets.
    private static (DateTimeOffset? Instant, BackupEvidence Evidence) NewestBackupOf(PairInventory inventory)
    {
        if (inventory.Pair.Target is null)
        {
            return (null, BackupEvidence.None);
        }

        if (inventory.IsTargetReachable)
        {
            var backups = inventory.Target!.Snapshots;
            return backups.Count == 0 ? (null, BackupEvidence.None) : (backups.Max(backup => backup.Name.Instant), BackupEvidence.Target);
        }

        var sent = inventory.SnapshotDir.Snapshots.Where(inventory.HasBeenSent).ToList();
        return sent.Count == 0 ? (null, BackupEvidence.None) : (sent.Max(snapshot => snapshot.Name.Instant), BackupEvidence.SourceRecord);
    }
}
