using BtrfsBackup.Btrfs;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// Decides what to send, from the inventory alone: every source snapshot newer than the newest one
/// with a complete backup, oldest first; each incremental from the snapshot before it (the first
/// from that newest backed-up one), or full when the target holds none of this source's snapshots.
/// </summary>
public static class SendPlanner
{
    /// <exception cref="BackupException">The target holds a different subvolume under a name that must be received.</exception>
    public static SendPlan Plan(PairInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        if (!inventory.IsTargetReachable)
        {
            return new SendPlan([], [], [], inventory.TargetStatusReason);
        }

        var target = inventory.Target!;
        var snapshots = inventory.SnapshotDir.Snapshots;
        var backups = new BackupIndex(target);
        var parent = backups.NewestBackedUp(snapshots);
        var pending = snapshots.Where(snapshot => parent is null || snapshot.Name > parent.Name).ToList();
        var warnings = target.Incomplete
            .Where(subvolume => !pending.Any(snapshot => snapshot.Name.ToString() == subvolume.Name))
            .Select(subvolume => $"incomplete receive {subvolume.Path} is not a backup; it is deleted only when that snapshot is sent again, so remove it by hand if its snapshot is gone")
            .ToList();

        // Sent are the snapshots named after the newest backed-up one; one named before it without a
        // backup is never sent, which only happens when the clock was set back (or a backup was removed).
        warnings.AddRange(snapshots
            .Where(snapshot => parent is not null && snapshot.Name < parent.Name && !backups.IsBackedUp(snapshot))
            .Select(snapshot => $"{snapshot.Name} has no backup and is older by name than {parent!.Name}, the newest backed up: it is not sent (was the clock set back?)"));
        if (pending.Count == 0)
        {
            return new SendPlan([], [], warnings, parent is null ? "there are no snapshots to send" : $"nothing new to send: {parent.Name} is the newest snapshot and is backed up");
        }

        var cleanup = new List<PlannedStep>();
        var sends = new List<PlannedSend>();
        foreach (var snapshot in pending)
        {
            var name = snapshot.Name.ToString();
            var taken = target.Snapshots.FirstOrDefault(backup => backup.Name == snapshot.Name);
            if (taken is not null)
            {
                throw new BackupException(
                    $"Pair '{inventory.Pair.Name}': cannot send {name}: the target already holds {taken.Path}, a different subvolume " +
                    $"(its Received UUID {taken.ReceivedUuid} is not this snapshot's UUID {snapshot.Uuid}). " +
                    "Move it out of the target if it is to be kept, then run again.");
            }

            var incomplete = target.Incomplete.FirstOrDefault(subvolume => subvolume.Name == name);
            if (incomplete is not null)
            {
                cleanup.Add(new PlannedStep(BtrfsCommand.DeleteSubvolume(incomplete.Path), $"incomplete receive of {name} (a transfer that did not finish); it is sent again")
                {
                    Subject = incomplete,
                });
            }

            var reason = parent is null
                ? "full send: the target holds no complete backup of an older snapshot of this source"
                : sends.Count == 0
                    ? $"incremental: {parent.Name} is the newest older snapshot backed up on the target"
                    : $"incremental: from {parent.Name}, sent just before it";
            sends.Add(new PlannedSend(snapshot, parent, target.Path, reason));
            parent = snapshot;
        }

        return new SendPlan(cleanup, sends, warnings, null);
    }
}
