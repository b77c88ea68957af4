using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Takes a read-only snapshot of the pair's source into its snapshot_dir and checks the result:
/// read-only, and a snapshot of this very source (its Parent UUID is the source's UUID).
/// </summary>
public sealed class SnapshotTask : BackupTask
{
    /// <summary>The pair's state from <see cref="ScanTask"/>.</summary>
    public required PairInventory Inventory { get; set; }

    protected override string PairName => Inventory.Pair.Name;

    public string? Suffix { get; set; }

    /// <summary>Local time to name the snapshot by; tests set it.</summary>
    public Func<DateTime> Clock { get; set; } = () => DateTime.Now;

    /// <summary>Output: what was (or in a dry run would be) made.</summary>
    public SnapshotPlan? Plan { get; private set; }

    /// <summary>Output: the inventory with the new snapshot in it, for the tasks that follow.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    protected override async Task ExecuteAsync()
    {
        var plan = SnapshotPlan.For(Inventory, Clock(), Suffix);
        Plan = plan;
        var pair = Inventory.Pair;
        if (plan.CreatesSnapshotDir)
        {
            Log.Information(DryRun ? $"[dry run] would create directory {pair.SnapshotDir}" : $"create directory {pair.SnapshotDir}");
        }

        LogStep(plan.Step);
        SubvolumeInfo created;
        if (DryRun)
        {
            // Stands in for the snapshot so that later steps of the dry run plan around it.
            created = new SubvolumeInfo(plan.Path, Guid.NewGuid(), Inventory.Source.Uuid, null, IsReadOnly: true);
        }
        else
        {
            Directory.CreateDirectory(pair.SnapshotDir);

            await BtrfsAdapter.RunAsync(plan.Step.Command, Cancellation);
            created = await VerifyAsync(plan.Path);
            Log.Information($"Pair '{pair.Name}': created snapshot {plan.Path}");
        }

        var snapshots = Inventory.SnapshotDir.Snapshots.Append(new Snapshot(plan.Name, created)).OrderBy(snapshot => snapshot.Name).ToList();
        UpdatedInventory = Inventory with { SnapshotDir = Inventory.SnapshotDir with { Snapshots = snapshots } };
    }

    private async Task<SubvolumeInfo> VerifyAsync(string path)
    {
        var created = await BtrfsAdapter.ShowSubvolumeAsync(path, Cancellation);
        var problem = !created.IsReadOnly ? "it is not read-only"
            : created.ParentUuid != Inventory.Source.Uuid ? $"its Parent UUID {created.ParentUuid} is not the source's UUID {Inventory.Source.Uuid}"
            : null;
        if (problem is null)
        {
            return created;
        }

        // Ours, made a moment ago and not usable: remove it so nothing takes it for a snapshot.
        await BtrfsAdapter.DeleteSubvolumeAsync(path, CancellationToken.None);
        throw new BackupException($"Pair '{Inventory.Pair.Name}': the new snapshot {path} failed its check ({problem}) and was deleted.");
    }
}
