using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// The calendar rules of a policy (<c>keep_hourly</c> ... <c>keep_yearly</c>) at one location. For each
/// rule, the periods that hold at least one of the location's snapshots are counted from the newest
/// back: the newest N (every one for "all") are kept, each by its oldest snapshot, the one of the
/// period that would stay longest if snapshots were only ever taken and purged. Periods without a
/// snapshot do not count, so a machine that was off for a weekend keeps the hourlies from before it.
/// Each rule looks at every snapshot, never at what another rule left, so a snapshot is kept when any
/// rule keeps it, and a larger count never keeps less.
/// </summary>
internal static class CalendarRetention
{
    /// <summary>For each snapshot a calendar rule keeps, its reasons, finest period first: "first of week 2026-W47 (keep_weekly = 8)".</summary>
    public static IReadOnlyDictionary<Snapshot, List<string>> Keepers(IEnumerable<Snapshot> snapshots, RetentionPolicy policy, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var all = snapshots.ToList();
        var reasons = new Dictionary<Snapshot, List<string>>();
        var periods = CalendarPeriods.For(policy, zone);
        foreach (var (kind, count) in policy.CalendarRules)
        {
            var firsts = all
                .GroupBy(snapshot => periods.Of(kind, snapshot.Name.Instant).Key)
                .Select(period => (Key: period.Key, First: period.Min(Snapshot.Chronological)!))
                .OrderByDescending(period => period.Key)
                .Take(count);
            foreach (var (_, first) in firsts)
            {
                var period = periods.Of(kind, first.Name.Instant);
                if (!reasons.TryGetValue(first, out var list))
                {
                    reasons[first] = list = [];
                }

                list.Add($"first of {period.Label} ({RetentionPolicy.KeyOf(kind)} = {RetentionPolicy.CountText(count)})");
            }
        }

        return reasons;
    }
}
