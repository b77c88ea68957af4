using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;
using BtrfsBackup.Watching;

namespace BtrfsBackup.Tests.Watching;

/// <summary>
/// A pair with <c>snapshot_when = "changed"</c> and a source that has not changed takes no snapshot, so
/// its newest backup ages: it is not stale while that backup is of the source as it still is.
/// </summary>
[TestFixture]
public sealed class UnchangedSourceFreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 20, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void An_unchanged_source_whose_newest_snapshot_is_backed_up_is_not_stale_however_old_the_backup()
    {
        var freshness = PairFreshness.Of(GenerationsOf.Changed(BackedUp(), sourceMovedBy: 0), Now);

        Assert.That((freshness.BackupIsCurrent, freshness.IsStale, freshness.StaleLine), Is.EqualTo((true, false, (string?)null)));
    }

    [Test]
    public void A_changed_source_is_stale_as_any_pair()
    {
        var freshness = PairFreshness.Of(GenerationsOf.Changed(BackedUp(), sourceMovedBy: 1), Now);

        Assert.That(freshness.StaleLine, Is.EqualTo("STALE: newest backup 19 days old (alert_after_days = 7)"));
    }

    [Test]
    public void An_unchanged_source_whose_newest_snapshot_never_reached_the_target_is_stale()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00")
            .BackupOf("2026-12-01T03:00:00+00:00")
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(GenerationsOf.Changed(inventory, sourceMovedBy: 0), Now);

        Assert.That(freshness.StaleLine, Is.EqualTo("STALE: newest backup 19 days old (alert_after_days = 7)"));
    }

    [Test]
    public void An_unchanged_source_whose_backup_disk_is_away_is_stale_as_any_pair()
    {
        // Sent, as the snapshot_dir's record says, but the disk has not been seen since: it may be lost for good.
        var inventory = new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00")
            .RecordedAsSent("2026-12-01T03:00:00+00:00")
            .TargetStatus(BtrfsBackup.Scanning.TargetStatus.Missing)
            .AlertAfterDays(7)
            .Build();

        var freshness = PairFreshness.Of(GenerationsOf.Changed(inventory, sourceMovedBy: 0), Now);

        Assert.That((freshness.BackupIsCurrent, freshness.IsStale), Is.EqualTo((false, true)));
    }

    [Test]
    public void A_pair_that_snapshots_always_is_judged_by_its_backups_age_alone()
    {
        var freshness = PairFreshness.Of(GenerationsOf.Changed(BackedUp(), sourceMovedBy: 0, SnapshotWhen.Always), Now);

        Assert.That(freshness.IsStale, Is.True);
    }

    private static BtrfsBackup.Scanning.PairInventory BackedUp() =>
        new InventoryBuilder()
            .Snapshots("2026-12-01T03:00:00+00:00")
            .BackupOf("2026-12-01T03:00:00+00:00")
            .AlertAfterDays(7)
            .Build();
}
