using BtrfsBackup.Btrfs;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// Decides what to send, from the inventory alone: every snapshot of the pair that has never reached
/// the target (no backup there, and none recorded as sent), oldest first; each incremental from the
/// nearest snapshot before it that is backed up on the target (or, for a snapshot dated before all of
/// them, from the nearest after it), full when there is none. The tool's own unfinished receive,
/// proven by the target's record, is deleted first.
/// </summary>
internal static class SendPlanner
{
    /// <exception cref="BackupException">A subvolume that is not this snapshot's backup stands where one must be received.</exception>
    public static SendPlan Plan(PairInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (!inventory.IsTargetReachable)
        {
            return new SendPlan([], [], inventory.TargetStatusReason);
        }

        var target = inventory.Target!;
        var snapshots = inventory.SnapshotDir.Snapshots;
        var backups = new BackupIndex(target);
        var common = snapshots.Where(backups.IsBackedUp).ToList();
        var pending = snapshots.Where(snapshot => !backups.IsBackedUp(snapshot) && !inventory.HasBeenSent(snapshot)).ToList();
        var cleanup = target.Incomplete
            .Select(subvolume => new PlannedStep(
                BtrfsCommand.DeleteSubvolume(subvolume.Path),
                $"unfinished receive of {subvolume.Name}: the target's record names it as the receive under way when a run stopped")
            {
                Subject = subvolume,
            })
            .ToList();
        if (pending.Count == 0)
        {
            var newest = common.LastOrDefault();
            return new SendPlan(cleanup, [], cleanup.Count > 0 ? null
                : newest is not null ? $"nothing new to send: {newest.Name} is backed up and no newer snapshot is waiting"
                : snapshots.Count == 0 ? "there are no snapshots to send"
                : "nothing new to send: every snapshot was sent before");
        }

        var sends = new List<PlannedSend>();
        foreach (var snapshot in pending)
        {
            EnsureNothingInTheWay(snapshot, target);
            var before = common.LastOrDefault(candidate => candidate.IsOlderThan(snapshot));
            var parent = before ?? common.FirstOrDefault();
            var reason = parent is null ? "full send: the target holds no backup of another snapshot of this source"
                : sends.LastOrDefault()?.Snapshot == parent ? $"incremental: from {parent.Name}, sent just before it"
                : before is null ? $"incremental: from {parent.Name}, the nearest snapshot backed up (this one is dated before it)"
                : $"incremental: {parent.Name} is the newest older snapshot backed up on the target";
            sends.Add(new PlannedSend(snapshot, parent, target.Path, reason));
            common.Add(snapshot);
            common.Sort(Snapshot.Chronological);
        }

        return new SendPlan(cleanup, sends, null);
    }

    private static void EnsureNothingInTheWay(Snapshot snapshot, SnapshotLocation target)
    {
        var name = snapshot.Subvolume.Name;
        var path = Path.Combine(target.Path, name);
        if (target.Snapshots.FirstOrDefault(backup => backup.Subvolume.Name == name) is { } taken)
        {
            throw new BackupException(
                $"cannot send {name}: the target already holds {taken.Path}, a different subvolume " +
                $"(its Received UUID {taken.ReceivedUuid} is not this snapshot's UUID {snapshot.Uuid}). " +
                "Move it out of the target if it is to be kept, then run again");
        }

        if (target.Writable.Any(subvolume => subvolume.Name == name))
        {
            throw new BackupException(
                $"cannot receive {name}: {path} is a writable subvolume, not a backup, and it is left alone. " +
                "If it holds work of yours, move or rename it (btrfs subvolume snapshot it elsewhere, or mv it); then run again");
        }

        if (target.Foreign.FirstOrDefault(foreign => foreign.Name == name) is { } foreign)
        {
            var received = foreign.Subvolume.ReceivedUuid is { } uuid ? $"; its Received UUID {uuid} is not this snapshot's UUID {snapshot.Uuid}" : string.Empty;
            throw new BackupException($"cannot receive {name}: {path} is already there ({foreign.Reason}{received}) and is left alone; move or rename it, then run again");
        }
    }
}
