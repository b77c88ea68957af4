using System.Globalization;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// Applies the contract's retention to a pair's inventory. At each location a snapshot is kept while
/// it is among the newest <c>keep_count</c> or younger than <c>keep_days</c> days (age from the instant
/// in its name, against <c>now</c>). Whatever the policy, never deleted: the newest snapshot at a
/// location; the next incremental's parent on the source and its backup on the target; and every
/// source snapshot that has not reached the target yet. Foreign, writable and incomplete subvolumes
/// are neither counted nor touched.
/// </summary>
internal static class RetentionPlanner
{
    public const string SourceSide = "source";
    public const string TargetSide = "target";

    /// <summary>The plan with calendar periods in this machine's time zone.</summary>
    public static PurgePlan Plan(PairInventory inventory, DateTimeOffset now) => Plan(inventory, now, TimeZoneInfo.Local);

    /// <summary>The plan with calendar periods (<c>keep_hourly</c> ... <c>keep_yearly</c>) in <paramref name="zone"/>.</summary>
    public static PurgePlan Plan(PairInventory inventory, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(inventory);
        var pair = inventory.Pair;
        var warnings = new List<string>();
        var sourceSnapshots = inventory.SnapshotDir.Snapshots;
        warnings.AddRange(sourceSnapshots.Concat(inventory.Target?.Snapshots ?? [])
            .Where(snapshot => snapshot.Name.Instant > now)
            .Select(snapshot => $"{snapshot.Path} is dated in the future (was the clock set back?); it counts as new"));

        // The next incremental's parent: from this scan when the target is reachable, else the newest snapshot known to have been sent.
        Snapshot? parent = null;
        Snapshot? parentBackup = null;
        var hasTarget = inventory.TargetStatus != TargetStatus.NotConfigured;
        if (inventory.IsTargetReachable)
        {
            var backups = new BackupIndex(inventory.Target);
            parent = backups.NewestBackedUp(sourceSnapshots);
            parentBackup = parent is null ? null : backups.BackupOf(parent);
        }
        else if (hasTarget)
        {
            parent = sourceSnapshots.LastOrDefault(inventory.HasBeenSent);
            if (inventory.SentSnapshots is null && sourceSnapshots.Count > 0)
            {
                warnings.Add("the target cannot be reached and no record says which snapshots were sent: every source snapshot is kept");
            }
        }

        var source = PlanLocation(SourceSide, inventory.SnapshotDir.Path, sourceSnapshots, pair.SourceRetention, now, zone, snapshot =>
            snapshot == parent ? "parent of the next incremental"
            : hasTarget && !inventory.HasBeenSent(snapshot) ? (inventory.IsTargetReachable ? "not yet backed up" : "not yet backed up and target unreachable")
            : null);

        var target = inventory.IsTargetReachable
            ? PlanLocation(TargetSide, inventory.Target!.Path, inventory.Target.Snapshots, pair.TargetRetention, now, zone,
                backup => backup == parentBackup ? "parent of the next incremental" : null)
            : LocationPurgePlan.Skipped(TargetSide, pair.Target ?? "(none)", inventory.TargetStatusReason);
        return new PurgePlan(source, target, warnings);
    }

    private static LocationPurgePlan PlanLocation(
        string side,
        string path,
        IReadOnlyList<Snapshot> snapshots,
        RetentionPolicy? policy,
        DateTimeOffset now,
        TimeZoneInfo zone,
        Func<Snapshot, string?> protection)
    {
        if (policy is null)
        {
            return new LocationPurgePlan(side, path, snapshots.Select(snapshot => new RetentionDecision(snapshot, false, "no retention configured")).ToList(), "no retention configured");
        }

        var calendar = CalendarRetention.Keepers(snapshots, policy, zone);
        var decisions = new List<RetentionDecision>(snapshots.Count);
        for (var index = 0; index < snapshots.Count; index++)
        {
            var snapshot = snapshots[index];
            var reasons = new List<string>();
            var rankFromNewest = snapshots.Count - index;
            if (rankFromNewest == 1)
            {
                reasons.Add("newest at this location");
            }

            if (protection(snapshot) is { } protectedBecause)
            {
                reasons.Add(protectedBecause);
            }

            if (SuffixProtection(snapshot, policy, now) is { } suffixed)
            {
                reasons.Add(suffixed);
            }

            if (rankFromNewest <= policy.KeepCount)
            {
                reasons.Add($"newest {policy.KeepCount}");
            }

            // In days as a double: keep_days may be far beyond what a TimeSpan holds ("keep forever").
            var ageInDays = (now - snapshot.Name.Instant).TotalDays;
            if (policy.KeepDays > 0 && ageInDays < policy.KeepDays)
            {
                reasons.Add($"younger than {Days(policy.KeepDays)}");
            }
            else if (ageInDays < 0)
            {
                // The clock was set back: such a snapshot is as new as can be, whatever the limits.
                reasons.Add("dated in the future");
            }

            if (calendar.TryGetValue(snapshot, out var periods))
            {
                reasons.AddRange(periods);
            }

            decisions.Add(reasons.Count > 0
                ? new RetentionDecision(snapshot, false, string.Join(", ", reasons))
                : new RetentionDecision(snapshot, true, DeletionReason(policy)));
        }

        return new LocationPurgePlan(side, path, decisions, null);
    }

    // keep_suffixed: a snapshot with a suffix stays while younger than its own limit (true: until deleted by hand).
    private static string? SuffixProtection(Snapshot snapshot, RetentionPolicy policy, DateTimeOffset now) =>
        snapshot.Name.Suffix is null || policy.KeepSuffixedDays == 0 ? null
        : policy.KeepSuffixedDays == RetentionPolicy.Forever ? "has a suffix (keep_suffixed = true)"
        : (now - snapshot.Name.Instant).TotalDays < policy.KeepSuffixedDays ? $"has a suffix and is younger than {Days(policy.KeepSuffixedDays)} (keep_suffixed = {policy.KeepSuffixedDays})"
        : null;

    // Every rule that is on, and why it does not keep the snapshot.
    private static string DeletionReason(RetentionPolicy policy)
    {
        var rules = policy.CalendarRules.ToList();
        if (policy.KeepDays == 0 && policy.KeepCount == 0 && rules.Count == 0)
        {
            return "retention keeps only what is protected (keep_days = 0, keep_count = 0)";
        }

        var parts = new List<string>();
        if (policy.KeepDays > 0)
        {
            parts.Add($"older than {Days(policy.KeepDays)}");
        }

        if (policy.KeepCount > 0)
        {
            parts.Add($"not among the newest {policy.KeepCount}");
        }

        if (rules.Count > 0)
        {
            var periods = rules.Select(rule => rule.Period.ToString().ToLowerInvariant()).ToList();
            var which = periods.Count == 1 ? periods[0] : $"{string.Join(", ", periods[..^1])} or {periods[^1]}";
            var counts = string.Join(", ", rules.Select(rule => $"{RetentionPolicy.KeyOf(rule.Period)} = {RetentionPolicy.CountText(rule.Count)}"));
            parts.Add($"not the first of a kept {which} ({counts})");
        }

        return parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} and {parts[^1]}";
    }

    private static string Days(int days) => days == 1 ? "1 day" : string.Create(CultureInfo.InvariantCulture, $"{days} days");
}
