using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Planning;

/// <summary>The calendar rules (keep_hourly ... keep_yearly, week_starts_on, day_starts_at_hour) and keep_suffixed, one case at a time, with exact reasons.</summary>
[TestFixture]
public sealed class CalendarRetentionTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Names at these UTC instants, written as the tool writes them in the zone.
    private static string Name(DateTimeOffset instant, TimeZoneInfo zone, string? suffix = null) =>
        SnapshotName.Create(TimeZoneInfo.ConvertTime(instant, zone), suffix).ToString();

    private static IEnumerable<DateTimeOffset> Hourly(DateTimeOffset from, DateTimeOffset until)
    {
        for (var instant = from; instant <= until; instant = instant.AddHours(1))
        {
            yield return instant;
        }
    }

    private static Dictionary<string, string> Plan(IEnumerable<string> names, RetentionPolicy policy, DateTimeOffset now, TimeZoneInfo zone) =>
        RetentionPlanner.Plan(new InventoryBuilder().Snapshots([.. names]).SourceRetention(policy).NoTarget().Build(), now, zone)
            .Source.Decisions.ToDictionary(decision => decision.Snapshot.Name.ToString(), decision => decision.ToString());

    [Test]
    public void Keep_daily_keeps_the_oldest_snapshot_of_each_of_the_newest_days_with_exact_reasons()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 30, 0, TimeSpan.Zero);
        var names = Hourly(now.AddDays(-4).AddMinutes(-30), now).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();

        var plan = RetentionPlanner.Plan(new InventoryBuilder().Snapshots([.. names]).SourceRetention(new RetentionPolicy(0, 0) { KeepDaily = 3 }).NoTarget().Build(), now, TimeZoneInfo.Utc);

        var kept = plan.Source.Decisions.Where(decision => !decision.Delete).Select(decision => decision.ToString()).ToList();
        Assert.That(kept, Is.EqualTo(new[]
        {
            "keep   2026-11-24T00:00:00+00:00  # first of day 2026-11-24 (keep_daily = 3)",
            "keep   2026-11-25T00:00:00+00:00  # first of day 2026-11-25 (keep_daily = 3)",
            "keep   2026-11-26T00:00:00+00:00  # first of day 2026-11-26 (keep_daily = 3)",
            "keep   2026-11-26T12:00:00+00:00  # newest at this location",
        }));
        Assert.That(plan.Source.Deletions.Select(decision => decision.Reason).Distinct(), Is.EqualTo(new[] { "not the first of a kept day (keep_daily = 3)" }));
    }

    [Test]
    public void Every_rule_keeps_on_its_own_and_the_reasons_name_each()
    {
        var now = new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero);
        var names = Hourly(new DateTimeOffset(2026, 10, 30, 0, 0, 0, TimeSpan.Zero), now).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();
        var policy = new RetentionPolicy(1, 2) { KeepHourly = 2, KeepDaily = 2, KeepWeekly = 2, KeepMonthly = RetentionPolicy.All, KeepYearly = 1 };

        var plan = RetentionPlanner.Plan(new InventoryBuilder().Snapshots([.. names]).SourceRetention(policy).NoTarget().Build(), now, TimeZoneInfo.Utc);

        var decisions = plan.Source.Decisions.ToDictionary(decision => decision.Snapshot.Name.ToString(), decision => decision.Reason);
        Assert.That(decisions["2026-10-30T00:00:00+00:00"], Is.EqualTo("first of month 2026-10 (keep_monthly = all), first of year 2026 (keep_yearly = 1)"));
        Assert.That(decisions["2026-11-01T00:00:00+00:00"], Is.EqualTo("first of month 2026-11 (keep_monthly = all)"));
        Assert.That(decisions["2026-11-16T00:00:00+00:00"], Is.EqualTo("first of week 2026-W47 (keep_weekly = 2)"));
        Assert.That(decisions["2026-11-22T00:00:00+00:00"], Is.EqualTo("first of day 2026-11-22 (keep_daily = 2)"));
        Assert.That(decisions["2026-11-23T00:00:00+00:00"], Is.EqualTo(
            "newest at this location, newest 2, younger than 1 day, first of hour 2026-11-23T00:00+00:00 (keep_hourly = 2), first of day 2026-11-23 (keep_daily = 2), first of week 2026-W48 (keep_weekly = 2)"));
        Assert.That(decisions["2026-11-22T23:00:00+00:00"], Is.EqualTo("newest 2, younger than 1 day, first of hour 2026-11-22T23:00+00:00 (keep_hourly = 2)"));
        Assert.That(decisions["2026-11-21T00:00:00+00:00"], Is.EqualTo(
            "older than 1 day, not among the newest 2 and not the first of a kept hour, day, week, month or year (keep_hourly = 2, keep_daily = 2, keep_weekly = 2, keep_monthly = all, keep_yearly = 1)"));
        Assert.That(plan.Source.Decisions.Count(decision => !decision.Delete), Is.EqualTo(24 + 4), "a day of hourlies (keep_days), and the first of the 22nd, of week 47, of October and of November");
    }

    [Test]
    public void A_weekend_offline_keeps_the_hourlies_from_before_it_since_periods_without_a_snapshot_do_not_count()
    {
        // Hourly through the week until Friday 17:00, the machine off until Monday 08:00.
        var friday = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
        var monday = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var names = Hourly(friday.AddDays(-4), friday).Concat([monday, monday.AddHours(1)]).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();

        var plan = Plan(names, new RetentionPolicy(0, 0) { KeepHourly = 24 }, monday.AddHours(1).AddMinutes(30), TimeZoneInfo.Utc);

        var kept = plan.Where(entry => entry.Value.StartsWith("keep", StringComparison.Ordinal)).Select(entry => entry.Key).Order(StringComparer.Ordinal).ToList();
        Assert.That(kept, Has.Count.EqualTo(24));
        Assert.That(kept[0], Is.EqualTo("2026-11-19T20:00:00+00:00"), "22 hours of Thursday evening and Friday, then Monday's two");
        Assert.That(plan["2026-11-20T17:00:00+00:00"], Is.EqualTo("keep   2026-11-20T17:00:00+00:00  # first of hour 2026-11-20T17:00+00:00 (keep_hourly = 24)"));
        Assert.That(plan["2026-11-19T19:00:00+00:00"], Does.StartWith("delete"));
    }

    [Test]
    public void Keep_days_is_the_rule_that_counts_calendar_time_as_btrbk_does()
    {
        var friday = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
        var monday = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var names = Hourly(friday.AddDays(-4), friday).Concat([monday]).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();

        var plan = Plan(names, new RetentionPolicy(1, 0), monday.AddMinutes(30), TimeZoneInfo.Utc);

        Assert.That(plan.Count(entry => entry.Value.StartsWith("keep", StringComparison.Ordinal)), Is.EqualTo(1), "only Monday's: Friday is older than a day");
    }

    [Test]
    public void A_dst_autumn_day_has_25_hours_and_the_repeated_hour_is_two_periods()
    {
        // Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET. Hourly snapshots by the UTC clock.
        var from = new DateTimeOffset(2026, 10, 24, 20, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.Zero);
        var names = Hourly(from, now).Select(instant => Name(instant, Berlin)).ToList();

        var plan = Plan(names, new RetentionPolicy(0, 0) { KeepHourly = RetentionPolicy.All, KeepDaily = RetentionPolicy.All }, now, Berlin);

        Assert.That(plan["2026-10-25T02:00:00+02:00"], Does.EndWith("# first of hour 2026-10-25T02:00+02:00 (keep_hourly = all)"));
        Assert.That(plan["2026-10-25T02:00:00+01:00"], Does.EndWith("# first of hour 2026-10-25T02:00+01:00 (keep_hourly = all)"));
        Assert.That(plan["2026-10-25T00:00:00+02:00"], Does.EndWith("first of day 2026-10-25 (keep_daily = all)"));
        Assert.That(plan["2026-10-26T00:00:00+01:00"], Does.EndWith("first of day 2026-10-26 (keep_daily = all)"));
        var dayOf25th = names.Count(name => string.CompareOrdinal(name, "2026-10-25") > 0 && string.CompareOrdinal(name, "2026-10-26") < 0);
        Assert.That(dayOf25th, Is.EqualTo(25));
    }

    [Test]
    public void A_dst_spring_day_has_23_hours_and_its_days_start_at_local_midnight()
    {
        // Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST. Snapshots every 30 minutes.
        var from = new DateTimeOffset(2026, 3, 28, 21, 0, 0, TimeSpan.Zero);
        var names = Enumerable.Range(0, 60).Select(step => Name(from.AddMinutes(30 * step), Berlin)).ToList();
        var now = from.AddMinutes(30 * 60);

        var plan = Plan(names, new RetentionPolicy(0, 0) { KeepDaily = 5 }, now, Berlin);

        Assert.That(plan["2026-03-29T00:00:00+01:00"], Does.EndWith("# first of day 2026-03-29 (keep_daily = 5)"));
        Assert.That(plan["2026-03-30T00:00:00+02:00"], Does.EndWith("# first of day 2026-03-30 (keep_daily = 5)"));
        Assert.That(names.Count(name => name.StartsWith("2026-03-29", StringComparison.Ordinal)), Is.EqualTo(46), "23 hours of half-hourly snapshots");
    }

    [Test]
    public void The_time_zone_decides_where_a_day_starts()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var names = Hourly(now.AddDays(-2), now).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();
        var policy = new RetentionPolicy(0, 0) { KeepDaily = 1 };
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

        var inUtc = Plan(names, policy, now, TimeZoneInfo.Utc);
        var inAuckland = Plan(names, policy, now, auckland);

        Assert.That(inUtc["2026-11-26T00:00:00+00:00"], Does.EndWith("# first of day 2026-11-26 (keep_daily = 1)"));
        // Auckland is at +13:00 in November: its 27th began at 11:00 UTC on the 26th.
        Assert.That(inAuckland["2026-11-26T11:00:00+00:00"], Does.EndWith("# first of day 2026-11-27 (keep_daily = 1)"));
        Assert.That(inAuckland["2026-11-26T00:00:00+00:00"], Does.StartWith("delete"));
    }

    [Test]
    public void Day_starts_at_hour_moves_the_start_of_days_weeks_months_and_years()
    {
        var now = new DateTimeOffset(2027, 1, 1, 6, 0, 0, TimeSpan.Zero);
        var names = Hourly(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), now).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();
        var policy = new RetentionPolicy(0, 0) { KeepDaily = 1, KeepYearly = 1, DayStartsAtHour = 3 };

        var plan = Plan(names, policy, now, TimeZoneInfo.Utc);

        Assert.That(plan["2027-01-01T03:00:00+00:00"], Does.EndWith("# first of day 2027-01-01 (keep_daily = 1), first of year 2027 (keep_yearly = 1)"));
        Assert.That(plan["2027-01-01T00:00:00+00:00"], Does.StartWith("delete"), "00:00 on New Year's Day still belongs to 2026's last day");
    }

    [Test]
    public void Week_starts_on_changes_the_weeks_and_their_names()
    {
        // Sunday 2026-11-22 is the last day of ISO week 47, and the first of a week that starts on Sunday.
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var names = Hourly(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), now).Select(instant => Name(instant, TimeZoneInfo.Utc)).ToList();

        var monday = Plan(names, new RetentionPolicy(0, 0) { KeepWeekly = 2 }, now, TimeZoneInfo.Utc);
        var sunday = Plan(names, new RetentionPolicy(0, 0) { KeepWeekly = 2, WeekStartsOn = DayOfWeek.Sunday }, now, TimeZoneInfo.Utc);

        Assert.That(monday["2026-11-21T00:00:00+00:00"], Does.EndWith("# first of week 2026-W47 (keep_weekly = 2)"));
        Assert.That(monday["2026-11-23T00:00:00+00:00"], Does.EndWith("# first of week 2026-W48 (keep_weekly = 2)"));
        Assert.That(sunday["2026-11-21T00:00:00+00:00"], Does.EndWith("# first of week starting Sunday 2026-11-15 (keep_weekly = 2)"));
        Assert.That(sunday["2026-11-22T00:00:00+00:00"], Does.EndWith("# first of week starting Sunday 2026-11-22 (keep_weekly = 2)"));
        Assert.That(sunday["2026-11-23T00:00:00+00:00"], Does.StartWith("delete"));
    }

    [Test]
    public void Keep_suffixed_true_keeps_suffixed_snapshots_above_every_rule()
    {
        var now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        string[] names = ["2025-06-01T10:00:00+00:00-pre-apt", "2026-11-20T03:00:00+00:00", "2026-11-21T09:12:44+00:00-pre-upgrade", "2026-11-26T03:00:00+00:00"];

        var plan = Plan(names, new RetentionPolicy(0, 1) { KeepSuffixedDays = RetentionPolicy.Forever }, now, TimeZoneInfo.Utc);

        Assert.That(plan["2025-06-01T10:00:00+00:00-pre-apt"], Is.EqualTo("keep   2025-06-01T10:00:00+00:00-pre-apt  # has a suffix (keep_suffixed = true)"));
        Assert.That(plan["2026-11-21T09:12:44+00:00-pre-upgrade"], Does.EndWith("# has a suffix (keep_suffixed = true)"));
        Assert.That(plan["2026-11-20T03:00:00+00:00"], Does.EndWith("# not among the newest 1"));
    }

    [Test]
    public void Keep_suffixed_days_keeps_them_while_younger_then_the_other_rules_decide()
    {
        var now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        string[] names = ["2026-10-01T10:00:00+00:00-pre-apt", "2026-11-21T09:12:44+00:00-pre-upgrade", "2026-11-26T03:00:00+00:00"];

        var plan = RetentionPlanner.Plan(new InventoryBuilder().Snapshots(names).SourceRetention(new RetentionPolicy(0, 1) { KeepSuffixedDays = 30 }).NoTarget().Build(), now, TimeZoneInfo.Utc);

        Assert.That(plan.Source.Decisions.Select(decision => decision.ToString()), Is.EqualTo(new[]
        {
            "delete 2026-10-01T10:00:00+00:00-pre-apt  # not among the newest 1",
            "keep   2026-11-21T09:12:44+00:00-pre-upgrade  # has a suffix and is younger than 30 days (keep_suffixed = 30)",
            "keep   2026-11-26T03:00:00+00:00  # newest at this location, newest 1",
        }));
    }

    [Test]
    public void Suffixed_snapshots_count_like_any_other_when_keep_suffixed_is_off()
    {
        var now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
        string[] names = ["2026-11-25T01:12:00+00:00-pre-apt", "2026-11-25T03:00:00+00:00", "2026-11-26T03:00:00+00:00"];

        var plan = Plan(names, new RetentionPolicy(0, 0) { KeepDaily = 7 }, now, TimeZoneInfo.Utc);

        Assert.That(plan["2026-11-25T01:12:00+00:00-pre-apt"], Does.EndWith("# first of day 2026-11-25 (keep_daily = 7)"));
        Assert.That(plan["2026-11-25T03:00:00+00:00"], Does.StartWith("delete"));
    }

    [Test]
    public void Protections_stay_above_the_calendar_rules()
    {
        // Not yet backed up while the target is away: kept whatever the rules say.
        var names = new[] { "2026-11-20T05:00:00+00:00", "2026-11-20T06:00:00+00:00", "2026-11-20T07:00:00+00:00" };
        var inventory = new InventoryBuilder().Snapshots(names).RecordedAsSent(names[0])
            .SourceRetention(new RetentionPolicy(0, 0) { KeepDaily = 1 })
            .TargetStatus(BtrfsBackup.Scanning.TargetStatus.Missing).Build();

        var plan = RetentionPlanner.Plan(inventory, new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        Assert.That(plan.Source.Decisions.Select(decision => decision.ToString()), Is.EqualTo(new[]
        {
            "keep   2026-11-20T05:00:00+00:00  # parent of the next incremental, first of day 2026-11-20 (keep_daily = 1)",
            "keep   2026-11-20T06:00:00+00:00  # not yet backed up and target unreachable",
            "keep   2026-11-20T07:00:00+00:00  # newest at this location, not yet backed up and target unreachable",
        }));
    }

    [Test]
    public void A_policy_reads_back_as_the_file_writes_it()
    {
        var policy = new RetentionPolicy(7, 0) { KeepDaily = 14, KeepMonthly = RetentionPolicy.All, WeekStartsOn = DayOfWeek.Sunday, DayStartsAtHour = 4, KeepSuffixedDays = RetentionPolicy.Forever };

        Assert.That(policy.ToString(), Is.EqualTo("keep_days = 7, keep_count = 0, keep_daily = 14, keep_monthly = all, week_starts_on = sunday, day_starts_at_hour = 4, keep_suffixed = true"));
        Assert.That(new RetentionPolicy(7, 10).ToString(), Is.EqualTo("keep_days = 7, keep_count = 10"));
    }
}
