using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Takes read-only snapshots named by the local time and its UTC offset.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Aliases")]
public static class BtrfsSnapshotAliases
{
    /// <summary>Snapshots the pair's source into its snapshot_dir; returns the inventory with the new snapshot.</summary>
    /// <example><code>BtrfsSnapshot(BtrfsScan(pair), new BtrfsSnapshotSettings { Suffix = "pre-upgrade" });</code></example>
    [CakeMethodAlias]
    public static PairInventory BtrfsSnapshot(this ICakeContext context, PairInventory inventory, BtrfsSnapshotSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        settings ??= new BtrfsSnapshotSettings();
        var task = new SnapshotTask { Inventory = inventory, Suffix = settings.Suffix };
        return BtrfsTaskRunner.Run(context, inventory.Pair, task, settings.DryRun, settings.Environment).UpdatedInventory!;
    }

    /// <summary>Scans the pair, then snapshots it.</summary>
    [CakeMethodAlias]
    public static PairInventory BtrfsSnapshot(this ICakeContext context, BackupPair pair, BtrfsSnapshotSettings? settings = null) =>
        context.BtrfsSnapshot(context.BtrfsScan(pair, new BtrfsScanSettings { Environment = settings?.Environment }), settings);
}
