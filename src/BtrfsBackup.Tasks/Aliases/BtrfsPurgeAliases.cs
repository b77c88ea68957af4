using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Applies retention on the source and the target, never deleting what the next backup needs.</summary>
[CakeAliasCategory("Btrfs")]
public static class BtrfsPurgeAliases
{
    /// <summary>Deletes the snapshots and backups that the pair's retention lets go, each logged with its reason.</summary>
    /// <returns>The inventory without them.</returns>
    /// <example><code>BtrfsPurge(BtrfsScan(config.GetPair("home")), new BtrfsPurgeSettings { DryRun = true });</code></example>
    [CakeMethodAlias]
    public static PairInventory BtrfsPurge(this ICakeContext context, PairInventory inventory, BtrfsPurgeSettings? settings = null)
    {
        settings ??= new BtrfsPurgeSettings();
        var now = settings.Now;
        var task = new PurgeTask { Inventory = inventory, Clock = () => now ?? DateTime.Now };
        return BtrfsTaskRunner.Run(context, inventory.Pair, task, settings.DryRun).UpdatedInventory!;
    }

    /// <summary>Scans the pair, then purges it.</summary>
    [CakeMethodAlias]
    public static PairInventory BtrfsPurge(this ICakeContext context, BackupPair pair, BtrfsPurgeSettings? settings = null) =>
        context.BtrfsPurge(context.BtrfsScan(pair), settings);
}
