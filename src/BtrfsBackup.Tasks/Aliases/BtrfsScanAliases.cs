using BtrfsBackup.Configuration;
using BtrfsBackup.Reporting;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;

namespace BtrfsBackup.Aliases;

/// <summary>Reads what is on disk for a pair, changing nothing.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Scanning")]
public static class BtrfsScanAliases
{
    /// <summary>Scans a pair: source subvolume, its snapshots, and the backups on its target.</summary>
    /// <example><code>var inventory = BtrfsScan(config.GetPair("home"));</code></example>
    [CakeMethodAlias]
    public static PairInventory BtrfsScan(this ICakeContext context, BackupPair pair, BtrfsScanSettings? settings = null) =>
        BtrfsTaskRunner.Run(context, pair, new ScanTask { Pair = pair }, dryRun: false, settings?.Environment).Inventory!;

    /// <summary>Scans a pair and prints its inventory as a table.</summary>
    [CakeMethodAlias]
    public static PairInventory BtrfsList(this ICakeContext context, BackupPair pair, BtrfsScanSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var task = BtrfsTaskRunner.Run(context, pair, new ScanTask { Pair = pair }, dryRun: false, settings?.Environment);
        context.Log.Information("{0}", InventoryReport.Format(task.Inventory!, task.Environment.Clock.GetUtcNow(), task.Environment.Clock.LocalTimeZone, why: false));
        return task.Inventory!;
    }
}
