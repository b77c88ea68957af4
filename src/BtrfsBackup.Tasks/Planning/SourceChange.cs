using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// Whether the source changed since its newest snapshot was taken, by btrfs's generations: taking a
/// snapshot moves the source's generation to the snapshot's creation generation (both are written in
/// one transaction), and any later change to the source (data, a chmod, an xattr, an atime update)
/// moves it past that. The same test as btrbk's <c>snapshot_create onchange</c>.
/// </summary>
internal static class SourceChange
{
    /// <summary>
    /// The pair's most recently taken snapshot (by creation generation, whatever its name says) when the
    /// source's generation has not moved past it; null when the source changed, there is no snapshot,
    /// or a generation is unknown.
    /// </summary>
    public static Snapshot? UnchangedSince(PairInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var newest = inventory.SnapshotDir.Snapshots.MaxBy(snapshot => snapshot.Subvolume.CreationGeneration);
        var generation = inventory.Source.Generation;
        return newest is not null && generation > 0 && newest.Subvolume.CreationGeneration > 0 && generation <= newest.Subvolume.CreationGeneration
            ? newest
            : null;
    }
}
