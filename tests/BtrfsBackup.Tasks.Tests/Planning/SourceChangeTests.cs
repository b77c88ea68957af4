using BtrfsBackup.Planning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Planning;

/// <summary>Whether the source changed since its newest snapshot, by generations: a snapshot whenever in doubt.</summary>
[TestFixture]
public sealed class SourceChangeTests
{
    [Test]
    public void A_source_at_its_newest_snapshots_creation_generation_is_unchanged_since_that_snapshot()
    {
        var inventory = GenerationsOf.Changed(new InventoryBuilder().Snapshots("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00").Build(), sourceMovedBy: 0);

        Assert.That(SourceChange.UnchangedSince(inventory)?.Name.ToString(), Is.EqualTo("2026-12-02T03:00:00+00:00"));
    }

    [Test]
    public void A_source_one_generation_past_it_has_changed()
    {
        var inventory = GenerationsOf.Changed(new InventoryBuilder().Snapshots("2026-12-01T03:00:00+00:00").Build(), sourceMovedBy: 1);

        Assert.That(SourceChange.UnchangedSince(inventory), Is.Null);
    }

    [Test]
    public void The_snapshot_taken_last_counts_whatever_its_name_says()
    {
        // Taken last, but named earlier (the clock was set back): it is the one the source is compared with.
        var built = GenerationsOf.Changed(new InventoryBuilder().Snapshots("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00").Build(), sourceMovedBy: 0);
        var swapped = built.SnapshotDir.Snapshots.Select(snapshot => snapshot with
        {
            Subvolume = snapshot.Subvolume with { CreationGeneration = snapshot.Name.ToString().StartsWith("2026-12-01", StringComparison.Ordinal) ? 101 : 100 },
        }).ToList();
        var inventory = built with { SnapshotDir = built.SnapshotDir with { Snapshots = swapped } };

        Assert.That(SourceChange.UnchangedSince(inventory)?.Name.ToString(), Is.EqualTo("2026-12-01T03:00:00+00:00"));
    }

    [Test]
    public void No_snapshot_or_an_unknown_generation_counts_as_changed()
    {
        var none = GenerationsOf.Changed(new InventoryBuilder().Build(), sourceMovedBy: 0);
        var unknown = new InventoryBuilder().Snapshots("2026-12-01T03:00:00+00:00").Build();

        Assert.That(SourceChange.UnchangedSince(none), Is.Null);
        Assert.That(SourceChange.UnchangedSince(unknown), Is.Null, "generation 0: btrfs said nothing, so take the snapshot");
    }
}
