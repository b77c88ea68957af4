using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
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
        ArgumentNullException.ThrowIfNull(inventory);
        settings ??= new BtrfsPurgeSettings();
        var task = new PurgeTask { Inventory = inventory };
        var environment = settings.Environment ?? task.Environment;
        if (settings.Now is { } now)
        {
            environment = environment.WithClock(new FixedClock(now, environment.Clock.LocalTimeZone));
        }

        return BtrfsTaskRunner.Run(context, inventory.Pair, task, settings.DryRun, environment).UpdatedInventory!;
    }

    /// <summary>Scans the pair, then purges it.</summary>
    [CakeMethodAlias]
    public static PairInventory BtrfsPurge(this ICakeContext context, BackupPair pair, BtrfsPurgeSettings? settings = null) =>
        context.BtrfsPurge(context.BtrfsScan(pair, new BtrfsScanSettings { Environment = settings?.Environment }), settings);
}
