using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

/// <summary><c>alert_after_days</c>: 7 by default for a pair with a target, from [defaults] or the pair, 0 for no alarm, none without a target.</summary>
[TestFixture]
public sealed class AlertAfterDaysTests
{
    [Test]
    public void A_pair_with_a_target_is_stale_after_seven_days_unless_told_otherwise()
    {
        var pair = Parse("""
            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "/mnt/backup/home"
            """).Single();

        Assert.That(pair.AlertAfterDays, Is.EqualTo(7));
    }

    [Test]
    public void The_pair_value_wins_over_defaults_and_zero_turns_the_alarm_off()
    {
        var pairs = Parse("""
            [defaults]
            alert_after_days = 3

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "/mnt/backup/home"

            [pairs.root]
            source = "/"
            snapshot_dir = "/.snapshots/root"
            target = "/mnt/backup/root"
            alert_after_days = 0

            [pairs.srv]
            source = "/srv"
            snapshot_dir = "/.snapshots/srv"
            target = "/mnt/backup/srv"
            alert_after_days = 30
            """);

        Assert.That(pairs.Select(pair => (pair.Name, pair.AlertAfterDays)), Is.EqualTo(new (string, int?)[] { ("home", 3), ("root", null), ("srv", 30) }));
    }

    [Test]
    public void A_pair_without_a_target_has_no_alarm()
    {
        var pair = Parse("""
            [defaults]
            alert_after_days = 3

            [pairs.scratch]
            source = "/srv/scratch"
            snapshot_dir = "/srv/.snapshots/scratch"
            """).Single();

        Assert.That(pair.AlertAfterDays, Is.Null);
    }

    private static IReadOnlyList<BackupPair> Parse(string text) => ConfigurationLoader.Parse(text, "alert.toml").Pairs;
}
