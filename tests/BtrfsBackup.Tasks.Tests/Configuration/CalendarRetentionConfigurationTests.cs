using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

/// <summary>The calendar retention keys as the file writes them: "all", merging with [defaults] key by key, defaults when left out.</summary>
[TestFixture]
public sealed class CalendarRetentionConfigurationTests
{
    [Test]
    public void Every_new_key_is_read_and_a_pair_wins_over_defaults_key_by_key()
    {
        const string Text = """
            [defaults]
            source_retention = { keep_hourly = 24, keep_daily = 14, week_starts_on = "sunday", keep_suffixed = true }
            target_retention = { keep_days = 30, keep_monthly = "all", keep_yearly = 5, day_starts_at_hour = 4 }

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "/mnt/backup/home"

            [pairs.home.source_retention]
            keep_daily = 7
            keep_weekly = "all"
            keep_suffixed = 30

            [pairs.root]
            source = "/"
            snapshot_dir = "/.snapshots/root"
            target = "/mnt/backup/root"
            target_retention = { keep_suffixed = false, keep_yearly = 0 }
            """;

        var configuration = ConfigurationLoader.Parse(Text, "calendar.toml");
        var home = configuration.Pairs.Single(pair => pair.Name == "home");
        var root = configuration.Pairs.Single(pair => pair.Name == "root");

        Assert.That(home.SourceRetention, Is.EqualTo(new RetentionPolicy(0, 0)
        {
            KeepHourly = 24,
            KeepDaily = 7,
            KeepWeekly = RetentionPolicy.All,
            WeekStartsOn = DayOfWeek.Sunday,
            KeepSuffixedDays = 30,
        }));
        Assert.That(home.TargetRetention, Is.EqualTo(new RetentionPolicy(30, 0) { KeepMonthly = RetentionPolicy.All, KeepYearly = 5, DayStartsAtHour = 4 }));
        Assert.That(root.SourceRetention, Is.EqualTo(new RetentionPolicy(0, 0) { KeepHourly = 24, KeepDaily = 14, WeekStartsOn = DayOfWeek.Sunday, KeepSuffixedDays = RetentionPolicy.Forever }));
        Assert.That(root.TargetRetention, Is.EqualTo(new RetentionPolicy(30, 0) { KeepMonthly = RetentionPolicy.All, DayStartsAtHour = 4 }));
        Assert.That(home.SourceRetention!.ToString(), Is.EqualTo("keep_days = 0, keep_count = 0, keep_hourly = 24, keep_daily = 7, keep_weekly = all, week_starts_on = sunday, keep_suffixed = 30"));
    }

    [Test]
    public void The_original_keys_alone_give_the_policy_they_always_gave()
    {
        const string Text = """
            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            source_retention = { keep_days = 7, keep_count = 10 }
            """;

        var policy = ConfigurationLoader.Parse(Text, "plain.toml").Pairs.Single().SourceRetention!;

        Assert.That(policy, Is.EqualTo(new RetentionPolicy(7, 10)));
        Assert.That(policy.CalendarRules, Is.Empty);
        Assert.That((policy.WeekStartsOn, policy.DayStartsAtHour, policy.KeepSuffixedDays), Is.EqualTo((DayOfWeek.Monday, 0, 0)));
    }
}
