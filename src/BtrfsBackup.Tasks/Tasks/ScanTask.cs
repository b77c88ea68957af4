using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Reads a pair's source, snapshots and backups. Changes nothing, so it runs in dry runs too. Says
/// once what the pair's backups leave out or leave alone: nested subvolumes, writable subvolumes on the target.
/// </summary>
internal sealed class ScanTask : BackupTask
{
    public required BackupPair Pair { get; set; }

    /// <summary>Every pair of the configuration (for nested subvolumes another pair covers); just this one when left null.</summary>
    public IReadOnlyList<BackupPair>? AllPairs { get; set; }

    /// <summary>Output.</summary>
    public PairInventory? Inventory { get; private set; }

    protected override async Task ExecuteAsync()
    {
        var scope = new ScanScope(AllPairs ?? [Pair], Environment.Clock.LocalTimeZone);
        var inventory = await new PairScanner(SourceHost(Pair), TargetHost(Pair), Environment.Listings).ScanAsync(Pair, scope, Cancellation);
        Inventory = inventory;
        Log.Verbose($"{inventory.SnapshotDir.Snapshots.Count} snapshots in {inventory.SnapshotDir.Path}; {inventory.TargetStatusReason}.");
        foreach (var nested in inventory.NestedSubvolumes)
        {
            Log.Warning($"not in this backup: {nested} is a nested subvolume; add a pair for it or list it in ignore_nested.");
        }

        foreach (var writable in inventory.Target?.Writable ?? [])
        {
            Log.Warning($"{writable.Path} is writable: not a backup, left alone.");
        }

        foreach (var foreign in inventory.SnapshotDir.Foreign.Concat(inventory.Target?.Foreign ?? []))
        {
            Log.Verbose($"leaving {foreign.Path} alone: {foreign.Reason}.");
        }
    }
}
