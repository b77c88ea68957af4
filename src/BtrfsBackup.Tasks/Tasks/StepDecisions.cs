using BtrfsBackup.Configuration;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Whether each step of a pair runs, and with which plan, from the pair's state and its "now": the
/// one place where steps are planned, skipped (with the wording Cake's summary shows) or failed in advance.
/// </summary>
internal static class StepDecisions
{
    public static StepDecision For(BackupStep step, PairRun pair, BackupRunOptions options, TimeZoneInfo zone, Action<string> warn)
    {
        var inventory = pair.Inventory!;
        var now = pair.Now!.Value;
        try
        {
            return step switch
            {
                BackupStep.Snapshot => Snapshot(inventory, TimeZoneInfo.ConvertTime(now, zone), options.Suffix, warn),
                BackupStep.Send => Send(inventory),
                BackupStep.Purge => Purge(inventory, now, zone, warn),
                BackupStep.Verify => Verify(inventory, options, zone),
                _ => StepDecision.Go,
            };
        }
        catch (BackupException e)
        {
            return StepDecision.FailBecause(e.Message);
        }
    }

    // snapshot_when = "changed": no snapshot of a source that has not changed since its newest one; one with a suffix is always taken.
    private static StepDecision Snapshot(PairInventory inventory, DateTimeOffset localNow, string? suffix, Action<string> warn)
    {
        var pair = inventory.Pair;
        if (pair.SnapshotWhen != SnapshotWhen.Changed || suffix is not null)
        {
            return StepDecision.RunWith(SnapshotPlan.For(inventory, localNow, suffix));
        }

        if (inventory.SnapshotDirInSource)
        {
            warn($"snapshot_when = \"changed\" sees the tool's own work as changes for pair {pair.Name}: its snapshot_dir {pair.SnapshotDirLocation} is a plain directory " +
                $"inside the source subvolume, so each record written and each snapshot deleted there changes the source. Make the snapshot_dir a subvolume of its own " +
                "(btrfs subvolume create) or move it out of the source.");
        }

        return SourceChange.UnchangedSince(inventory) is { } newest
            ? StepDecision.SkipBecause(SkipKind.SourceUnchanged, $"unchanged since {newest.Name} (snapshot_when = \"changed\")")
            : StepDecision.RunWith(SnapshotPlan.For(inventory, localNow, suffix));
    }

    private static StepDecision Send(PairInventory inventory)
    {
        switch (inventory.TargetStatus)
        {
            case TargetStatus.NotConfigured:
                return StepDecision.SkipBecause(SkipKind.NoTarget, inventory.TargetStatusReason);
            case TargetStatus.Refused:
                return StepDecision.FailBecause(inventory.TargetStatusReason);
            case TargetStatus.Reachable:
                var plan = SendPlanner.Plan(inventory);
                return plan.HasWork ? StepDecision.RunWith(plan) : StepDecision.SkipBecause(SkipKind.NothingToSend, plan.SkipReason ?? "nothing new to send");
            default:
                return StepDecision.SkipBecause(SkipKind.TargetUnreachable, inventory.TargetStatusReason);
        }
    }

    private static StepDecision Verify(PairInventory inventory, BackupRunOptions options, TimeZoneInfo zone)
    {
        switch (inventory.TargetStatus)
        {
            case TargetStatus.NotConfigured:
                return StepDecision.SkipBecause(SkipKind.NoTarget, inventory.TargetStatusReason);
            case TargetStatus.Refused:
                return StepDecision.FailBecause(inventory.TargetStatusReason);
            case TargetStatus.Reachable:
                var candidates = VerifyCandidates.For(inventory, options.AllBackups, zone);
                return candidates.Count == 0
                    ? StepDecision.SkipBecause(SkipKind.NothingToVerify, $"no backup of this pair on {inventory.Pair.TargetLocation} to verify")
                    : StepDecision.RunWith(candidates);
            default:
                return StepDecision.SkipBecause(SkipKind.TargetUnreachable, inventory.TargetStatusReason);
        }
    }

    private static StepDecision Purge(PairInventory inventory, DateTimeOffset now, TimeZoneInfo zone, Action<string> warn)
    {
        var plan = RetentionPlanner.Plan(inventory, now, zone);
        foreach (var warning in plan.Warnings)
        {
            warn($"{warning}.");
        }

        if (plan.HasWork)
        {
            return StepDecision.RunWith(plan);
        }

        var source = $"source: {plan.Source.SkipReason ?? "every snapshot is within retention"}";
        var target = plan.Target.SkipReason is null ? "target: every backup is within retention"
            : inventory.IsTargetReachable || inventory.TargetStatus == TargetStatus.NotConfigured ? $"target: {plan.Target.SkipReason}"
            : $"target not purged: {inventory.TargetStatusReason}";
        return StepDecision.SkipBecause(SkipKind.NothingToPurge, $"nothing to purge ({source}; {target})");
    }
}
