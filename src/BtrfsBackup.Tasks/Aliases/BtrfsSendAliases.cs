using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Backs up snapshots with <c>btrfs send | btrfs receive</c>, incrementally from the right parent.</summary>
[CakeAliasCategory("Btrfs")]
public static class BtrfsSendAliases
{
    /// <summary>
    /// Sends every snapshot of the pair that has not reached its target yet, oldest first, and checks
    /// each backup. Does nothing (and says why) when the target is missing or unmounted.
    /// </summary>
    /// <returns>The inventory with the new backups in it.</returns>
    /// <example><code>var inventory = BtrfsSend(BtrfsScan(config.GetPair("home")));</code></example>
    [CakeMethodAlias]
    public static PairInventory BtrfsSend(this ICakeContext context, PairInventory inventory, BtrfsSendSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        settings ??= new BtrfsSendSettings();
        var task = new SendTask { Inventory = inventory, ProgressInterval = settings.ProgressInterval };
        return BtrfsTaskRunner.Run(context, inventory.Pair, task, settings.DryRun, settings.Environment).UpdatedInventory!;
    }

    /// <summary>Scans the pair, then sends its new snapshots.</summary>
    [CakeMethodAlias]
    public static PairInventory BtrfsSend(this ICakeContext context, BackupPair pair, BtrfsSendSettings? settings = null) =>
        context.BtrfsSend(context.BtrfsScan(pair, new BtrfsScanSettings { Environment = settings?.Environment }), settings);
}
