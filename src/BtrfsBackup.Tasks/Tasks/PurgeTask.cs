using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Deletes the snapshots that retention lets go, on the source and on the target, oldest first,
/// each logged with its reason. Before deleting it scans again and deletes only what both the plan
/// and the fresh scan agree on, so a change since the scan is noticed rather than acted on blindly.
/// </summary>
public sealed class PurgeTask : BackupTask
{
    public required PairInventory Inventory { get; set; }

    /// <summary>Local time that ages are measured against; tests set it.</summary>
    public Func<DateTime> Clock { get; set; } = () => DateTime.Now;

    /// <summary>Output: the plan made from <see cref="Inventory"/>.</summary>
    public PurgePlan? Plan { get; private set; }

    /// <summary>Output: what was deleted (or, in a dry run, would be).</summary>
    public IReadOnlyList<PlannedStep> Deleted => deleted;

    /// <summary>Output: the inventory without the deleted snapshots.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    private readonly List<PlannedStep> deleted = [];

    protected override string PairName => Inventory.Pair.Name;

    protected override async Task ExecuteAsync()
    {
        var now = Clock();
        var plan = RetentionPlanner.Plan(Inventory, now);
        Plan = plan;
        foreach (var warning in plan.Warnings)
        {
            Log.Warning($"Pair '{PairName}': {warning}.");
        }

        LogDecisions(plan);
        var steps = plan.Steps.ToList();
        if (!DryRun)
        {
            steps = await ConfirmWithFreshScanAsync(steps, now);
        }

        foreach (var step in steps)
        {
            LogStep(step);
            if (!DryRun)
            {
                await BtrfsAdapter.RunAsync(step.Command, Cancellation);
            }

            deleted.Add(step);
        }

        var gone = deleted.Select(step => step.Path).ToHashSet(StringComparer.Ordinal);
        UpdatedInventory = Without(Inventory, gone);
        if (!DryRun && Inventory.IsTargetReachable && new BackupIndex(UpdatedInventory.Target).NewestBackedUp(UpdatedInventory.SnapshotDir.Snapshots) is { } parent)
        {
            LastBackupRecord.Write(Inventory.Pair.SnapshotDir, parent);
        }
    }

    private void LogDecisions(PurgePlan plan)
    {
        foreach (var location in new[] { plan.Source, plan.Target })
        {
            if (location.SkipReason is not null)
            {
                Log.Information($"Pair '{PairName}': {location.Side} {location.Path} is not purged: {location.SkipReason}.");
                continue;
            }

            foreach (var decision in location.Decisions.Where(decision => !decision.Delete))
            {
                Log.Verbose($"Pair '{PairName}': {location.Side}: keep {decision.Snapshot.Name}  # {decision.Reason}");
            }
        }
    }

    // Keeps a planned deletion only if the fresh plan deletes the very same subvolume (same path and UUID).
    private async Task<List<PlannedStep>> ConfirmWithFreshScanAsync(List<PlannedStep> planned, DateTime now)
    {
        var freshPlan = RetentionPlanner.Plan(await PairScanner.ScanAsync(Inventory.Pair, Cancellation), now);
        var fresh = Identities(freshPlan);
        var first = Identities(Plan!);
        var confirmed = planned.Where(step => fresh.Contains(first.Single(identity => identity.Path == step.Path))).ToList();
        foreach (var step in planned.Except(confirmed))
        {
            Log.Warning($"Pair '{PairName}': not deleting {step.Path}: it changed since the scan, and the fresh scan does not plan its deletion.");
        }

        foreach (var identity in fresh.Except(first))
        {
            Log.Warning($"Pair '{PairName}': not deleting {identity.Path}: it was not in the plan made from the first scan.");
        }

        return confirmed;
    }

    private static HashSet<(string Path, Guid Uuid)> Identities(PurgePlan plan) =>
        plan.Source.Deletions.Concat(plan.Target.Deletions).Select(decision => (decision.Snapshot.Path, decision.Snapshot.Uuid)).ToHashSet();

    private static PairInventory Without(PairInventory inventory, HashSet<string> gone)
    {
        var source = inventory.SnapshotDir with { Snapshots = inventory.SnapshotDir.Snapshots.Where(snapshot => !gone.Contains(snapshot.Path)).ToList() };
        var target = inventory.Target is null ? null : inventory.Target with { Snapshots = inventory.Target.Snapshots.Where(backup => !gone.Contains(backup.Path)).ToList() };
        return inventory with { SnapshotDir = source, Target = target };
    }
}
