using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Takes a read-only snapshot of the pair's source into its snapshot_dir and checks the result:
/// read-only, and a snapshot of this very source (its Parent UUID is the source's UUID).
/// </summary>
internal sealed class SnapshotTask : BackupTask
{
    /// <summary>The pair's state from <see cref="ScanTask"/>.</summary>
    public required PairInventory Inventory { get; set; }

    public string? Suffix { get; set; }

    /// <summary>What to make; when left null, planned from <see cref="Inventory"/> and the clock. Output: what was (or in a dry run would be) made.</summary>
    public SnapshotPlan? Plan { get; set; }

    /// <summary>Output: the inventory with the new snapshot in it, for the tasks that follow.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    protected override async Task ExecuteAsync()
    {
        var plan = Plan ??= SnapshotPlan.For(Inventory, LocalNow(), Suffix);
        var pair = Inventory.Pair;
        if (plan.CreatesSnapshotDir)
        {
            Log.Information(DryRun ? $"[dry run] would create directory {pair.SnapshotDir}" : $"create directory {pair.SnapshotDir}");
        }

        LogStep(plan.Step, Source);
        SubvolumeInfo created;
        if (DryRun)
        {
            // Stands in for the snapshot so that later steps of the dry run plan around it.
            var newest = Inventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Subvolume.CreationGeneration).DefaultIfEmpty(0).Max();
            created = new SubvolumeInfo(plan.Path, Guid.NewGuid(), Inventory.Source.Uuid, null, IsReadOnly: true, newest + 1, newest + 1);
        }
        else
        {
            // Not a subvolume the scan saw, but something that appeared since, or a plain file or folder: btrfs would snapshot *into* a folder.
            if ((await Source.InspectAsync(plan.Path, Cancellation)).Exists)
            {
                throw new BackupException($"{plan.Path} already exists (it appeared since the scan, or is not a subvolume); refusing to overwrite it");
            }

            await Source.CreateDirectoryAsync(pair.SnapshotDir, Cancellation);
            await Source.CreateReadOnlySnapshotAsync(pair.Source, plan.Path, Cancellation);
            created = await VerifyAsync(plan.Path);
            Log.Information($"created snapshot {plan.Path}");
        }

        var snapshots = Inventory.SnapshotDir.Snapshots.Append(new Snapshot(plan.Name, created)).Order(Snapshot.Chronological).ToList();
        UpdatedInventory = Inventory with { SnapshotDir = Inventory.SnapshotDir with { Snapshots = snapshots }, SnapshotDirExists = true };
    }

    private Hosts.IBtrfsHost Source => SourceHost(Inventory.Pair);

    private async Task<SubvolumeInfo> VerifyAsync(string path)
    {
        var created = await Source.ShowSubvolumeAsync(path, Cancellation);
        var problem = !created.IsReadOnly ? "it is not read-only"
            : created.ParentUuid != Inventory.Source.Uuid ? $"its Parent UUID {created.ParentUuid} is not the source's UUID {Inventory.Source.Uuid}"
            : null;
        if (problem is null)
        {
            return created;
        }

        // Ours, made a moment ago and not usable: remove it so nothing takes it for a snapshot.
        await Source.DeleteSubvolumeAsync(path, CancellationToken.None);
        throw new BackupException($"the new snapshot {path} failed its check ({problem}) and was deleted");
    }
}
