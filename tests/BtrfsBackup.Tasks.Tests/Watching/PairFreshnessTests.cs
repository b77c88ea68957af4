using BtrfsBackup.Tests.Support;
using BtrfsBackup.Watching;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Watching;

/// <summary>When a pair is stale: its newest backup (on the target, or as recorded while the target is away) older than alert_after_days.</summary>
[TestFixture]
public sealed class PairFreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_backup_older_than_the_limit_on_the_target_is_stale_and_the_line_says_by_how_much()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
            .BackupOf("2026-12-01T03:00:00+00:00")
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(inventory, Now);

        Assert.That(freshness.Evidence, Is.EqualTo(BackupEvidence.Target));
        Assert.That(freshness.NewestBackupAge, Is.EqualTo(TimeSpan.FromDays(9) + TimeSpan.FromHours(9)));
        Assert.That(freshness.IsStale, Is.True);
        Assert.That(freshness.StaleLine, Is.EqualTo("STALE: newest backup 9 days old (alert_after_days = 7)"));
    }

    [Test]
    public void A_backup_within_the_limit_is_fresh()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-04T03:00:00+00:00")
            .BackupOf("2026-12-01T03:00:00+00:00").BackupOf("2026-12-04T03:00:00+00:00")
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(inventory, Now);

        Assert.That(freshness.IsStale, Is.False);
        Assert.That(freshness.StaleLine, Is.Null);
        Assert.That(freshness.NewestBackup, Is.EqualTo(new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void While_the_target_is_away_the_newest_backup_is_the_newest_snapshot_recorded_as_sent()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
            .RecordedAsSent("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00")
            .TargetStatus(Status.Missing)
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(inventory, Now);

        Assert.That(freshness.Evidence, Is.EqualTo(BackupEvidence.SourceRecord));
        Assert.That(freshness.NewestBackup, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero)));
        Assert.That(freshness.StaleLine, Is.EqualTo("STALE: newest backup 8 days old (alert_after_days = 7)"));
    }

    [Test]
    public void Instants_not_names_decide_which_backup_is_newest()
    {
        // 2026-12-05T01:00:00+09:00 reads later than 2026-12-04T20:00:00+00:00 but is 16:00 UTC on the 4th: the other is newer.
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-04T20:00:00+00:00", "2026-12-05T01:00:00+09:00")
            .BackupOf("2026-12-04T20:00:00+00:00").BackupOf("2026-12-05T01:00:00+09:00")
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(inventory, Now);

        Assert.That(freshness.NewestBackup, Is.EqualTo(new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_pair_never_backed_up_counts_from_its_oldest_snapshot()
    {
        var young = new InventoryBuilder().Snapshots("2026-12-05T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
            .TargetStatus(Status.OnSourceFilesystem).AlertAfterDays(7).Build();
        var old = new InventoryBuilder().Snapshots("2026-12-01T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
            .TargetStatus(Status.OnSourceFilesystem).AlertAfterDays(7).Build();
        var empty = new InventoryBuilder().TargetStatus(Status.OnSourceFilesystem).AlertAfterDays(7).Build();

        Assert.That(PairFreshness.Of(young, Now).IsStale, Is.False);
        Assert.That(PairFreshness.Of(old, Now).StaleLine, Is.EqualTo("STALE: no backup yet, oldest snapshot 9 days old (alert_after_days = 7)"));
        Assert.That(PairFreshness.Of(empty, Now).IsStale, Is.False, "nothing to back up yet");
    }

    [Test]
    public void No_alarm_without_alert_after_days_or_without_a_target()
    {
        var off = new InventoryBuilder().Snapshots("2026-01-01T03:00:00+00:00").TargetStatus(Status.Missing).AlertAfterDays(null).Build();
        var snapshotOnly = new InventoryBuilder().Snapshots("2026-01-01T03:00:00+00:00").NoTarget().AlertAfterDays(7).Build();

        Assert.That(PairFreshness.Of(off, Now).IsStale, Is.False);
        Assert.That(PairFreshness.Of(snapshotOnly, Now).IsStale, Is.False);
        Assert.That(PairFreshness.Of(snapshotOnly, Now).Evidence, Is.EqualTo(BackupEvidence.None));
    }

    [Test]
    public void Exactly_the_limit_is_not_yet_stale()
    {
        var inventory = new InventoryBuilder().Snapshots("2026-12-03T12:00:00+00:00").BackupOf("2026-12-03T12:00:00+00:00").AlertAfterDays(7).Build();

        Assert.That(PairFreshness.Of(inventory, Now).IsStale, Is.False);
        Assert.That(PairFreshness.Of(inventory, Now.AddSeconds(1)).IsStale, Is.True);
    }
}
