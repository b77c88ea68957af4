using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>Reads a pair's source, snapshots and backups. Changes nothing, so it runs in dry runs too.</summary>
public sealed class ScanTask : BackupTask
{
    public required BackupPair Pair { get; set; }

    /// <summary>Output.</summary>
    public PairInventory? Inventory { get; private set; }

    protected override string PairName => Pair.Name;

    protected override async Task ExecuteAsync()
    {
        Inventory = await PairScanner.ScanAsync(Pair, Cancellation);
        var snapshots = Inventory.SnapshotDir;
        Log.Verbose($"Pair '{Pair.Name}': {snapshots.Snapshots.Count} snapshots in {snapshots.Path}; {Inventory.TargetStatusReason}.");
        foreach (var foreign in snapshots.Foreign.Concat(Inventory.Target?.Foreign ?? []))
        {
            Log.Verbose($"Pair '{Pair.Name}': leaving foreign subvolume {foreign.Path} alone.");
        }
    }
}
