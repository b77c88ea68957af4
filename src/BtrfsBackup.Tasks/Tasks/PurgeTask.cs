using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Deletes the snapshots that retention lets go, on the source and on the target, oldest first,
/// each logged with its reason. Right before each deletion it looks at the subvolume again and
/// deletes it only if it is still the one planned (same UUID, still read-only, same Received UUID),
/// so a change since the scan is noticed rather than acted on blindly.
/// </summary>
internal sealed class PurgeTask : BackupTask
{
    public required PairInventory Inventory { get; set; }

    /// <summary>What to delete; when left null, planned from <see cref="Inventory"/> and the clock. Output: the plan that ran.</summary>
    public PurgePlan? Plan { get; set; }

    /// <summary>Output: what was deleted (or, in a dry run, would be).</summary>
    public IReadOnlyList<PlannedStep> Deleted => deleted;

    /// <summary>Output: the inventory without the deleted snapshots.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    private readonly List<PlannedStep> deleted = [];

    protected override async Task ExecuteAsync()
    {
        if (Plan is null)
        {
            Plan = RetentionPlanner.Plan(Inventory, Environment.Clock.GetUtcNow(), Environment.Clock.LocalTimeZone);
            foreach (var warning in Plan.Warnings)
            {
                Log.Warning($"{warning}.");
            }
        }

        LogDecisions(Plan);
        foreach (var (location, host) in new[] { (Plan.Source, SourceHost(Inventory.Pair)), (Plan.Target, TargetHost(Inventory.Pair)) })
        {
            foreach (var step in location.Steps)
            {
                if (!DryRun && !await IsStillAsPlannedAsync(step, host))
                {
                    Log.Warning($"not deleting {step.Path}: it changed since the scan.");
                    continue;
                }

                LogStep(step, host);
                if (!DryRun)
                {
                    await host.DeleteSubvolumeAsync(step.Path, Cancellation);
                }

                deleted.Add(step);
            }
        }

        var gone = deleted.Select(step => step.Path).ToHashSet(StringComparer.Ordinal);
        UpdatedInventory = Inventory with
        {
            SnapshotDir = Inventory.SnapshotDir with { Snapshots = Inventory.SnapshotDir.Snapshots.Where(snapshot => !gone.Contains(snapshot.Path)).ToList() },
            Target = Inventory.Target is null ? null : Inventory.Target with { Snapshots = Inventory.Target.Snapshots.Where(backup => !gone.Contains(backup.Path)).ToList() },
        };
    }

    private void LogDecisions(PurgePlan plan)
    {
        foreach (var location in new[] { plan.Source, plan.Target })
        {
            if (location.SkipReason is not null)
            {
                Log.Information($"{location.Side} {location.Path} is not purged: {location.SkipReason}.");
                continue;
            }

            foreach (var decision in location.Decisions.Where(decision => !decision.Delete))
            {
                Log.Verbose($"{location.Side}: keep {decision.Snapshot.Name}  # {decision.Reason}");
            }
        }
    }

    private async Task<bool> IsStillAsPlannedAsync(PlannedStep step, Hosts.IBtrfsHost host)
    {
        var planned = step.Subject!;
        try
        {
            var now = await host.ShowSubvolumeAsync(step.Path, Cancellation);
            return now.Uuid == planned.Uuid && now.IsReadOnly && now.ReceivedUuid == planned.ReceivedUuid;
        }
        catch (BackupException)
        {
            return false;
        }
    }
}
