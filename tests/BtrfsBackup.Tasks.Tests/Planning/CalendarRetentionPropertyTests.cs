using System.Diagnostics;
using System.Globalization;
using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Planning;

/// <summary>
/// The calendar rules' invariants over 20,000 generated histories: irregular gaps, bursts, machines
/// off for days, DST nights in several zones (half-hour offsets, a zone whose clocks change at
/// midnight), suffixed snapshots, targets reachable, away or absent. Each history comes from its own
/// seed (base seed + case number): <c>CALENDAR_PROPERTY_SEED=SEED CALENDAR_PROPERTY_CASES=1</c> replays one.
/// A snapshot must be kept exactly when a protection or a rule keeps it, the calendar rules judged by
/// an oracle written apart from the planner (from the zone's offsets and labels).
/// </summary>
[TestFixture]
public sealed class CalendarRetentionPropertyTests
{
    private const int DefaultBaseSeed = 20261202;
    private const int DefaultCases = 20_000;
    private static readonly string[] ZoneIds = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "Pacific/Auckland"];
    private static readonly string[] Suffixes = ["pre-apt", "post-apt", "manual"];

    [Test]
    public void Calendar_retention_invariants_hold_over_generated_histories()
    {
        var baseSeed = EnvironmentInt("CALENDAR_PROPERTY_SEED") ?? DefaultBaseSeed;
        var cases = EnvironmentInt("CALENDAR_PROPERTY_CASES") ?? DefaultCases;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        for (var number = 0; number < cases; number++)
        {
            var seed = unchecked(baseSeed + number);
            var history = History.Generate(seed);
            var violations = Violations(history, seen);
            if (violations.Count > 0)
            {
                Assert.Fail($"calendar invariant broken for seed {seed}; replay with CALENDAR_PROPERTY_SEED={seed} CALENDAR_PROPERTY_CASES=1\n"
                    + string.Join('\n', violations.Take(10).Select(violation => "  - " + violation)) + "\n" + history.Describe());
            }
        }

        TestContext.Out.WriteLine($"{cases} histories in {stopwatch.Elapsed.TotalSeconds:F1} s; " + string.Join(", ", seen.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key}: {entry.Value}")));
        if (cases >= 10_000)
        {
            // Each situation the invariants are about came up often enough to mean something.
            foreach (var trait in new[] { "calendar keeps", "calendar deletes", "dst day", "weekend offline", "burst", "suffix protected", "all", "future", "away", "reachable", "no target", "week not monday", "day start moved", "half-hour offset" })
            {
                Assert.That(seen.GetValueOrDefault(trait), Is.GreaterThan(cases / 100), $"'{trait}' came up too rarely");
            }
        }
    }

    [Test]
    public void The_oracle_catches_a_planner_that_keeps_the_newest_instead_of_the_oldest_of_a_period()
    {
        var history = Enumerable.Range(DefaultBaseSeed, 500).Select(History.Generate)
            .First(history => history.Snapshots.Count > 20 && history.SourcePolicy?.KeepDaily is > 0 and < RetentionPolicy.All);
        var expected = Oracle.Keepers(history.Snapshots, history.SourcePolicy!, history.Zone);
        var newestOfEachDay = history.Snapshots
            .GroupBy(snapshot => Oracle.DayOf(snapshot.Name.Instant, history.Zone, history.SourcePolicy!.DayStartsAtHour))
            .Select(day => day.Max(Snapshot.Chronological)!)
            .ToHashSet();

        Assert.That(expected.Keys.Where(snapshot => newestOfEachDay.Contains(snapshot) && !expected.ContainsKey(snapshot)), Is.Empty);
        Assert.That(newestOfEachDay.Except(expected.Keys), Is.Not.Empty, "the newest of a day is not what the oracle keeps");
    }

    private static List<string> Violations(History history, Dictionary<string, int> seen)
    {
        var violations = new List<string>();
        var inventory = history.Inventory;
        var plan = RetentionPlanner.Plan(inventory, history.Now, history.Zone);
        var hasTarget = inventory.TargetStatus != Status.NotConfigured;
        Snapshot? parent = null;
        Snapshot? parentBackup = null;
        if (inventory.IsTargetReachable)
        {
            var backups = new BackupIndex(inventory.Target);
            parent = backups.NewestBackedUp(inventory.SnapshotDir.Snapshots);
            parentBackup = parent is null ? null : backups.BackupOf(parent);
        }
        else if (hasTarget)
        {
            parent = inventory.SnapshotDir.Snapshots.LastOrDefault(inventory.HasBeenSent);
        }

        CheckLocation("source", plan.Source, inventory.SnapshotDir.Snapshots, inventory.Pair.SourceRetention, history,
            snapshot => snapshot == parent || (hasTarget && !inventory.HasBeenSent(snapshot)), violations, seen);
        if (inventory.IsTargetReachable)
        {
            CheckLocation("target", plan.Target, inventory.Target!.Snapshots, inventory.Pair.TargetRetention, history, backup => backup == parentBackup, violations, seen);
        }

        // Monotonic: a policy that keeps more by any key never deletes anything this one keeps.
        var larger = RetentionPlanner.Plan(history.Larger(), history.Now, history.Zone);
        var deletedBefore = plan.Source.Deletions.Concat(plan.Target.Deletions).Select(decision => decision.Snapshot.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var deleted in larger.Source.Deletions.Concat(larger.Target.Deletions).Where(decision => !deletedBefore.Contains(decision.Snapshot.Path)))
        {
            violations.Add($"a larger policy deletes {deleted.Snapshot.Path}, which the smaller one keeps");
        }

        // The order the filesystem lists snapshots in changes nothing.
        var shuffled = RetentionPlanner.Plan(history.Shuffled(), history.Now, history.Zone);
        if (shuffled.Format() != plan.Format())
        {
            violations.Add($"snapshots listed in another order give another plan:\n{shuffled.Format()}\ninstead of\n{plan.Format()}");
        }

        if (history.SourcePolicy is not null)
        {
            var keepers = CalendarRetention.Keepers(history.Snapshots, history.SourcePolicy, history.Zone);
            var keepersShuffled = CalendarRetention.Keepers(history.Snapshots.OrderBy(_ => history.Random.Next()), history.SourcePolicy, history.Zone);
            if (keepers.Count != keepersShuffled.Count || keepers.Any(entry => !keepersShuffled.TryGetValue(entry.Key, out var reasons) || !reasons.SequenceEqual(entry.Value)))
            {
                violations.Add("the calendar rules depend on the order of their input");
            }
        }

        Count(seen, "away", hasTarget && !inventory.IsTargetReachable);
        Count(seen, "reachable", inventory.IsTargetReachable);
        Count(seen, "no target", !hasTarget);
        Count(seen, "future", history.Snapshots.Any(snapshot => snapshot.Name.Instant > history.Now));
        Count(seen, "dst day", history.Snapshots.Select(snapshot => TimeZoneInfo.ConvertTime(snapshot.Name.Instant, history.Zone).Offset).Distinct().Count() > 1);
        Count(seen, "weekend offline", history.Traits.Contains("offline"));
        Count(seen, "burst", history.Traits.Contains("burst"));
        Count(seen, "half-hour offset", history.Zone.Id is "Asia/Kolkata" or "Australia/Lord_Howe");
        return violations;
    }

    private static void CheckLocation(
        string side,
        LocationPurgePlan location,
        IReadOnlyList<Snapshot> snapshots,
        RetentionPolicy? policy,
        History history,
        Func<Snapshot, bool> isProtected,
        List<string> violations,
        Dictionary<string, int> seen)
    {
        if (policy is null)
        {
            if (location.Deletions.Any())
            {
                violations.Add($"{side}: deletes without retention");
            }

            return;
        }

        var calendar = Oracle.Keepers(snapshots, policy, history.Zone);
        var decisions = location.Decisions.ToDictionary(decision => decision.Snapshot);
        var newest = snapshots.Count == 0 ? null : snapshots[^1];
        for (var index = 0; index < snapshots.Count; index++)
        {
            var snapshot = snapshots[index];
            if (!decisions.TryGetValue(snapshot, out var decision))
            {
                violations.Add($"{side}: {snapshot} has no decision");
                continue;
            }

            var age = history.Now - snapshot.Name.Instant;
            var suffixProtected = snapshot.Name.Suffix is not null && policy.KeepSuffixedDays > 0
                && (policy.KeepSuffixedDays == RetentionPolicy.Forever || age.TotalDays < policy.KeepSuffixedDays);
            var byOldRules = snapshots.Count - index <= policy.KeepCount || age.TotalDays < policy.KeepDays || age < TimeSpan.Zero;
            var byCalendar = calendar.TryGetValue(snapshot, out var expectedReasons);
            var mustKeep = snapshot == newest || isProtected(snapshot) || suffixProtected || byOldRules || byCalendar;
            if (decision.Delete == mustKeep)
            {
                violations.Add($"{side}: {decision} but the protections and rules say {(mustKeep ? "keep" : "delete")} (calendar: {string.Join(", ", expectedReasons ?? [])})");
            }

            var calendarReasons = decision.Delete ? [] : decision.Reason.Split(", ").Where(reason => reason.StartsWith("first of ", StringComparison.Ordinal)).ToList();
            if (!calendarReasons.SequenceEqual(expectedReasons ?? []))
            {
                violations.Add($"{side}: {snapshot} has calendar reasons [{string.Join("; ", calendarReasons)}], expected [{string.Join("; ", expectedReasons ?? [])}]");
            }

            if (suffixProtected && !decision.Reason.Contains("has a suffix", StringComparison.Ordinal))
            {
                violations.Add($"{side}: {snapshot} is kept for its suffix without saying so: {decision.Reason}");
            }

            if (string.IsNullOrWhiteSpace(decision.Reason))
            {
                violations.Add($"{side}: {snapshot} has no reason");
            }

            Count(seen, "suffix protected", suffixProtected && !(snapshot == newest || isProtected(snapshot) || byOldRules || byCalendar));
        }

        // No rule keeps more than its count of snapshots.
        foreach (var (period, count) in policy.CalendarRules)
        {
            var key = $"({RetentionPolicy.KeyOf(period)} = {RetentionPolicy.CountText(count)})";
            var kept = location.Decisions.Count(decision => !decision.Delete && decision.Reason.Contains(key, StringComparison.Ordinal));
            if (kept > count)
            {
                violations.Add($"{side}: {RetentionPolicy.KeyOf(period)} keeps {kept} snapshots, more than {count}");
            }
        }

        Count(seen, "calendar keeps", calendar.Count > 0);
        Count(seen, "calendar deletes", policy.CalendarRules.Any() && location.Deletions.Any());
        Count(seen, "all", policy.CalendarRules.Any(rule => rule.Count == RetentionPolicy.All));
        Count(seen, "week not monday", policy.KeepWeekly > 0 && policy.WeekStartsOn != DayOfWeek.Monday);
        Count(seen, "day start moved", policy.KeepDaily > 0 && policy.DayStartsAtHour != 0);
    }

    private static void Count(Dictionary<string, int> seen, string trait, bool happened)
    {
        if (happened)
        {
            seen[trait] = seen.GetValueOrDefault(trait) + 1;
        }
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The calendar rules as the documentation states them, computed apart from the planner.</summary>
    private static class Oracle
    {
        public static Dictionary<Snapshot, List<string>> Keepers(IReadOnlyList<Snapshot> snapshots, RetentionPolicy policy, TimeZoneInfo zone)
        {
            var result = new Dictionary<Snapshot, List<string>>();
            foreach (var (period, count) in policy.CalendarRules)
            {
                var periods = snapshots.Select(snapshot => (Snapshot: snapshot, Period: PeriodOf(period, snapshot.Name.Instant, zone, policy))).ToList();
                // The distinct periods, newest first (by when each period starts).
                var newest = periods.Select(entry => entry.Period).DistinctBy(entry => entry.Label).OrderByDescending(entry => entry.Start).Take(count).Select(entry => entry.Label).ToHashSet(StringComparer.Ordinal);
                // Each of those periods is kept by the oldest snapshot in it.
                var oldestOf = new Dictionary<string, Snapshot>(StringComparer.Ordinal);
                foreach (var (snapshot, slot) in periods.Where(entry => newest.Contains(entry.Period.Label)))
                {
                    if (!oldestOf.TryGetValue(slot.Label, out var oldest) || snapshot.IsOlderThan(oldest))
                    {
                        oldestOf[slot.Label] = snapshot;
                    }
                }

                foreach (var (label, snapshot) in oldestOf)
                {
                    if (!result.TryGetValue(snapshot, out var reasons))
                    {
                        result[snapshot] = reasons = [];
                    }

                    reasons.Add($"first of {label} ({RetentionPolicy.KeyOf(period)} = {RetentionPolicy.CountText(count)})");
                }
            }

            return result;
        }

        public static DateTime DayOf(DateTimeOffset instant, TimeZoneInfo zone, int dayStartsAtHour) =>
            TimeZoneInfo.ConvertTimeFromUtc(instant.UtcDateTime, zone).AddHours(-dayStartsAtHour).Date;

        // Each period with when it starts (a comparable instant or date) and its name.
        private static (DateTime Start, string Label) PeriodOf(RetentionPeriod period, DateTimeOffset instant, TimeZoneInfo zone, RetentionPolicy policy)
        {
            if (period == RetentionPeriod.Hour)
            {
                var utc = instant.UtcDateTime;
                var offset = zone.GetUtcOffset(utc);
                var wall = utc + offset;
                var hourStart = new DateTime(wall.Year, wall.Month, wall.Day, wall.Hour, 0, 0, DateTimeKind.Unspecified);
                var sign = offset < TimeSpan.Zero ? '-' : '+';
                return (hourStart - offset, $"hour {hourStart.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture)}:00{sign}{offset.Duration():hh\\:mm}");
            }

            var day = DayOf(instant, zone, policy.DayStartsAtHour);
            switch (period)
            {
                case RetentionPeriod.Day:
                    return (day, "day " + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                case RetentionPeriod.Week:
                    var back = 0;
                    while (day.AddDays(-back).DayOfWeek != policy.WeekStartsOn)
                    {
                        back++;
                    }

                    var first = day.AddDays(-back);
                    var thursday = first.AddDays(3); // ISO: a week belongs to the year of its Thursday
                    var label = policy.WeekStartsOn == DayOfWeek.Monday
                        ? $"week {thursday.Year}-W{((thursday.DayOfYear - 1) / 7) + 1:00}"
                        : $"week starting {first.DayOfWeek} {first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
                    return (first, label);
                case RetentionPeriod.Month:
                    return (new DateTime(day.Year, day.Month, 1), "month " + day.ToString("yyyy-MM", CultureInfo.InvariantCulture));
                default:
                    return (new DateTime(day.Year, 1, 1), "year " + day.Year.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>One generated pair at one location and time zone.</summary>
    private sealed class History
    {
        private readonly int seed;
        private readonly List<string> names = [];
        private readonly List<string> backedUp = [];
        private Status status;

        private History(int seed)
        {
            this.seed = seed;
            Random = new Random(seed);
        }

        public Random Random { get; }

        public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

        public DateTimeOffset Now { get; private set; }

        public RetentionPolicy? SourcePolicy { get; private set; }

        public RetentionPolicy? TargetPolicy { get; private set; }

        public HashSet<string> Traits { get; } = new(StringComparer.Ordinal);

        public PairInventory Inventory { get; private set; } = null!;

        public IReadOnlyList<Snapshot> Snapshots => Inventory.SnapshotDir.Snapshots;

        public static History Generate(int seed)
        {
            var history = new History(seed);
            history.Fill();
            return history;
        }

        public PairInventory Larger() => Build(names, Grow(SourcePolicy), Grow(TargetPolicy));

        public PairInventory Shuffled() => Build(names.OrderBy(_ => Random.Next()).ToList(), SourcePolicy, TargetPolicy);

        public string Describe() =>
            $"seed {seed}, zone {Zone.Id}, now {Now:O}, status {status}\n  source: {SourcePolicy}\n  target: {TargetPolicy}\n  snapshots: {string.Join(' ', names)}\n  backed up: {string.Join(' ', backedUp)}";

        private void Fill()
        {
            var random = Random;
            Zone = TimeZoneInfo.FindSystemTimeZoneById(ZoneIds[random.Next(ZoneIds.Length)]);
            // Often near the spring and autumn changes of one hemisphere or the other.
            var month = random.NextDouble() < 0.5 ? new[] { 3, 4, 9, 10, 11 }[random.Next(5)] : random.Next(1, 13);
            var instant = new DateTimeOffset(random.Next(2025, 2028), month, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 60 * 24 * 30));
            var count = random.Next(0, 90);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            for (var index = 0; index < count; index++)
            {
                var roll = random.NextDouble();
                instant = roll switch
                {
                    < 0.55 => instant.AddMinutes(60 + random.Next(-5, 6)),
                    < 0.70 => Burst(instant.AddSeconds(random.Next(1, 600))),
                    < 0.82 => instant.AddHours(random.Next(2, 30)),
                    < 0.88 => Offline(instant.AddHours(random.Next(40, 24 * 20))),
                    _ => instant.AddMinutes(random.Next(1, 24 * 60)),
                };
                var suffix = random.NextDouble() < 0.1 ? Suffixes[random.Next(Suffixes.Length)] : null;
                var name = SnapshotName.Create(TimeZoneInfo.ConvertTime(instant, Zone), suffix).ToString();
                if (taken.Add(name))
                {
                    names.Add(name);
                }
            }

            Now = random.NextDouble() < 0.05 && count > 2 ? instant.AddHours(-random.Next(1, 48)) : instant.AddMinutes(random.Next(0, 60 * 72));
            SourcePolicy = random.NextDouble() < 0.05 ? null : RandomPolicy(random);
            TargetPolicy = random.NextDouble() < 0.1 ? null : RandomPolicy(random);
            status = random.NextDouble() switch
            {
                < 0.35 => Status.NotConfigured,
                < 0.8 => Status.Reachable,
                _ => Status.Missing,
            };
            var upTo = names.Count == 0 ? 0 : random.Next(0, names.Count + 1);
            backedUp.AddRange(names.Take(upTo).Where(_ => random.NextDouble() < 0.9));
            Inventory = Build(names, SourcePolicy, TargetPolicy);
        }

        private DateTimeOffset Burst(DateTimeOffset instant)
        {
            Traits.Add("burst");
            return instant;
        }

        private DateTimeOffset Offline(DateTimeOffset instant)
        {
            Traits.Add("offline");
            return instant;
        }

        private PairInventory Build(IReadOnlyList<string> snapshotNames, RetentionPolicy? source, RetentionPolicy? target)
        {
            var builder = new InventoryBuilder().Snapshots([.. snapshotNames]).SourceRetention(source).TargetRetention(target);
            switch (status)
            {
                case Status.NotConfigured:
                    builder.NoTarget();
                    break;
                case Status.Reachable:
                    // Backups in the order they were sent: oldest first, as one chain of incrementals.
                    foreach (var name in backedUp.Order(Comparer<string>.Create(ByInstant)))
                    {
                        builder.BackupOf(name);
                    }

                    break;
                default:
                    builder.RecordedAsSent([.. backedUp]).TargetStatus(status);
                    break;
            }

            return builder.Build();
        }

        private static int ByInstant(string left, string right) =>
            SnapshotName.TryParse(left, out var a) && SnapshotName.TryParse(right, out var b) ? a.CompareTo(b) : string.CompareOrdinal(left, right);

        private static RetentionPolicy RandomPolicy(Random random)
        {
            int Count(int max) => random.NextDouble() switch
            {
                < 0.45 => 0,
                < 0.53 => RetentionPolicy.All,
                _ => random.Next(1, max),
            };

            return new RetentionPolicy(random.NextDouble() < 0.7 ? 0 : random.Next(1, 10), random.NextDouble() < 0.7 ? 0 : random.Next(1, 20))
            {
                KeepHourly = Count(48),
                KeepDaily = Count(20),
                KeepWeekly = Count(8),
                KeepMonthly = Count(6),
                KeepYearly = Count(3),
                WeekStartsOn = random.NextDouble() < 0.6 ? DayOfWeek.Monday : (DayOfWeek)random.Next(7),
                DayStartsAtHour = random.NextDouble() < 0.6 ? 0 : random.Next(24),
                KeepSuffixedDays = random.NextDouble() switch
                {
                    < 0.5 => 0,
                    < 0.7 => RetentionPolicy.Forever,
                    _ => random.Next(1, 30),
                },
            };
        }

        // Every limit as large or larger: a count grown or made "all", a protection made longer.
        private RetentionPolicy? Grow(RetentionPolicy? policy)
        {
            if (policy is null)
            {
                return null;
            }

            var random = new Random(seed ^ 0x5eed);
            int More(int count) => random.NextDouble() switch
            {
                < 0.4 => count,
                < 0.5 => RetentionPolicy.All,
                _ => count == RetentionPolicy.All ? count : count + random.Next(1, 5),
            };

            return policy with
            {
                KeepDays = random.NextDouble() < 0.3 ? policy.KeepDays + random.Next(1, 3) : policy.KeepDays,
                KeepCount = random.NextDouble() < 0.3 ? policy.KeepCount + random.Next(1, 5) : policy.KeepCount,
                KeepHourly = More(policy.KeepHourly),
                KeepDaily = More(policy.KeepDaily),
                KeepWeekly = More(policy.KeepWeekly),
                KeepMonthly = More(policy.KeepMonthly),
                KeepYearly = More(policy.KeepYearly),
                KeepSuffixedDays = policy.KeepSuffixedDays is 0 or RetentionPolicy.Forever || random.NextDouble() < 0.5 ? policy.KeepSuffixedDays : policy.KeepSuffixedDays + random.Next(1, 10),
            };
        }
    }
}
