using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Gives a built inventory btrfs's generations: the snapshots created one transaction apart, in
/// name order, from generation 100, and the source at <c>sourceMovedBy</c> past the
/// newest one (0: unchanged since it was taken), for a pair with <c>snapshot_when = "changed"</c>.
/// </summary>
internal static class GenerationsOf
{
    public static PairInventory Changed(PairInventory inventory, long sourceMovedBy, SnapshotWhen when = SnapshotWhen.Changed)
    {
        var snapshots = inventory.SnapshotDir.Snapshots
            .Select((snapshot, index) => snapshot with { Subvolume = snapshot.Subvolume with { CreationGeneration = 100 + index, Generation = 100 + index } })
            .ToList();
        return inventory with
        {
            Pair = inventory.Pair with { SnapshotWhen = when },
            Source = inventory.Source with { Generation = 100 + snapshots.Count - 1 + sourceMovedBy },
            SnapshotDir = inventory.SnapshotDir with { Snapshots = snapshots },
        };
    }
}
