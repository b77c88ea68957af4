using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Planning;

[TestFixture]
public sealed class BackupIndexTests
{
    private const string Day1 = "2026-11-20T03:00:00";
    private const string Day2 = "2026-11-21T03:00:00";
    private const string Day3 = "2026-11-22T03:00:00";
    private const string Day4 = "2026-11-23T03:00:00";

    [Test]
    public void A_backup_is_found_by_its_received_uuid()
    {
        var builder = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1);
        var inventory = builder.Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.True);
        Assert.That(index.IsBackedUp(Snap(inventory, Day2)), Is.False);
        Assert.That(index.BackupOf(Snap(inventory, Day1))?.Path, Is.EqualTo(builder.BackupPath(Day1)));
        Assert.That(index.BackupOf(Snap(inventory, Day2)), Is.Null);
    }

    [Test]
    public void A_renamed_backup_belongs_to_the_snapshot_it_was_sent_from()
    {
        var builder = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day2, nameOnTarget: Day1);
        var inventory = builder.Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.IsBackedUp(Snap(inventory, Day2)), Is.True);
        Assert.That(index.BackupOf(Snap(inventory, Day2))?.Path, Is.EqualTo(builder.BackupPath(Day1)));
        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
        Assert.That(index.BackupOf(Snap(inventory, Day1)), Is.Null);
    }

    [Test]
    public void A_backup_with_our_name_and_another_received_uuid_is_not_ours()
    {
        var inventory = new InventoryBuilder().Snapshot(Day1).BackupFromOtherSource(Day1).Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
        Assert.That(index.BackupOf(Snap(inventory, Day1)), Is.Null);
        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots), Is.Null);
    }

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void An_incomplete_receive_is_not_a_backup(bool readOnly, bool withReceivedUuid)
    {
        var inventory = new InventoryBuilder().Snapshot(Day1).IncompleteReceive(Day1, readOnly, withReceivedUuid).Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(readOnly ? inventory.Target!.Foreign.Select(foreign => foreign.Subvolume).ToList() : inventory.Target!.Incomplete, Has.Count.EqualTo(1));
        Assert.That(inventory.Target.Snapshots, Is.Empty);
        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots), Is.Null);
    }

    [Test]
    public void A_subvolume_with_a_foreign_name_is_not_a_backup_even_if_received_from_our_snapshot()
    {
        var inventory = new InventoryBuilder().Snapshot(Day1).ForeignOnTarget("home-old", receivedFrom: Day1).Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
    }

    [Test]
    public void Without_a_target_nothing_is_backed_up()
    {
        var inventory = new InventoryBuilder().Snapshot(Day1).BackupOf(Day1).NoTarget().Build();
        var index = new BackupIndex(null);

        Assert.That(inventory.Target, Is.Null);
        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots), Is.Null);
        Assert.That(index.ParentFor(Snap(inventory, Day1), inventory.SnapshotDir.Snapshots), Is.Null);
    }

    [Test]
    public void Two_backups_of_one_snapshot_count_once_without_failing()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2)
            .BackupOf(Day1)
            .BackupOf(Day1, nameOnTarget: "2026-11-20T03:00:00-copy")
            .Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.True);
        Assert.That(index.BackupOf(Snap(inventory, Day1))?.ReceivedUuid, Is.EqualTo(Snap(inventory, Day1).Uuid));
        Assert.That(index.IsBackedUp(Snap(inventory, Day2)), Is.False);
    }

    [Test]
    public void The_newest_backed_up_snapshot_is_the_newest_source_snapshot_with_a_backup()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3, Day4)
            .BackupOf(Day1)
            .BackupOf(Day3)
            .Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots)?.Name.ToString(), Is.EqualTo(Day3));
    }

    [Test]
    public void The_newest_backed_up_snapshot_ignores_how_the_backups_are_named()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1, nameOnTarget: "2030-01-01T00:00:00-newest-name")
            .BackupOf(Day2, nameOnTarget: "2020-01-01T00:00:00-oldest-name")
            .Build();
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots)?.Name.ToString(), Is.EqualTo(Day2));
    }

    [Test]
    public void The_parent_for_a_snapshot_is_the_newest_older_one_with_a_backup()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3, Day4)
            .BackupOf(Day1)
            .BackupOf(Day2)
            .BackupOf(Day4)
            .Build();
        var snapshots = inventory.SnapshotDir.Snapshots;
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.ParentFor(Snap(inventory, Day3), snapshots)?.Name.ToString(), Is.EqualTo(Day2));
        Assert.That(index.ParentFor(Snap(inventory, Day4), snapshots)?.Name.ToString(), Is.EqualTo(Day2));
        Assert.That(index.ParentFor(Snap(inventory, Day2), snapshots)?.Name.ToString(), Is.EqualTo(Day1));
    }

    [Test]
    public void Snapshots_without_a_received_uuid_are_no_backups_whatever_location_is_indexed()
    {
        // The snapshot directory's own snapshots were never received: indexing it finds no backups.
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).Build();
        var index = new BackupIndex(inventory.SnapshotDir);

        Assert.That(index.IsBackedUp(Snap(inventory, Day1)), Is.False);
        Assert.That(index.NewestBackedUp(inventory.SnapshotDir.Snapshots), Is.Null);
    }

    [Test]
    public void A_snapshot_is_not_its_own_parent_and_the_oldest_has_none()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1).BackupOf(Day2).Build();
        var snapshots = inventory.SnapshotDir.Snapshots;
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.ParentFor(Snap(inventory, Day2), snapshots)?.Name.ToString(), Is.EqualTo(Day1));
        Assert.That(index.ParentFor(Snap(inventory, Day1), snapshots), Is.Null);
    }

    [Test]
    public void The_parent_for_a_suffixed_snapshot_may_be_the_unsuffixed_one_of_the_same_second()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-21T03:00:00-pre-upgrade", "2026-11-21T03:00:00", "2026-11-21T03:00:00-a")
            .BackupOf("2026-11-21T03:00:00")
            .BackupOf("2026-11-21T03:00:00-pre-upgrade")
            .Build();
        var snapshots = inventory.SnapshotDir.Snapshots;
        var index = new BackupIndex(inventory.Target);

        Assert.That(index.ParentFor(Snap(inventory, "2026-11-21T03:00:00-a"), snapshots)?.Name.ToString(), Is.EqualTo("2026-11-21T03:00:00"));
        Assert.That(index.ParentFor(Snap(inventory, "2026-11-21T03:00:00"), snapshots), Is.Null);
    }

    private static Snapshot Snap(PairInventory inventory, string name) =>
        inventory.SnapshotDir.Snapshots.Single(snapshot => snapshot.Name.ToString() == name);
}
