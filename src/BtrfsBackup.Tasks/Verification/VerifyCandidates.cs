using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Verification;

/// <summary>
/// Which subvolumes on a pair's target verify checks: the pair's backups, and also the ones that are
/// no longer counted as backups because someone made them writable (they stay recorded in the target's
/// record by their UUID, or keep a Received UUID of one of the pair's snapshots). Each with the UUID of
/// the snapshot it was received from.
/// </summary>
internal static class VerifyCandidates
{
    /// <summary>The newest such backup (or every one, oldest first, with <paramref name="allBackups"/>).</summary>
    public static IReadOnlyList<(Snapshot Backup, Guid? SentFrom)> For(PairInventory inventory, bool allBackups, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var target = inventory.Target;
        if (target is null)
        {
            return [];
        }

        var record = inventory.TargetRecord;
        var pairSnapshots = inventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Uuid).ToHashSet();
        var counted = target.Snapshots.Select(backup => backup.Subvolume.Uuid).ToHashSet();
        var candidates = new List<(Snapshot Backup, Guid? SentFrom)>();
        foreach (var subvolume in target.Snapshots.Select(backup => backup.Subvolume).Concat(target.Writable).Concat(target.Foreign.Select(foreign => foreign.Subvolume)))
        {
            var recorded = record?.Sent.FirstOrDefault(receipt => receipt.Backup == subvolume.Uuid);
            var ours = counted.Contains(subvolume.Uuid) || recorded is not null
                || (subvolume.ReceivedUuid is { } received && pairSnapshots.Contains(received));
            if (ours && SnapshotName.TryParse(subvolume.Name, zone, out var name))
            {
                candidates.Add((new Snapshot(name, subvolume), recorded?.Snapshot ?? subvolume.ReceivedUuid));
            }
        }

        candidates.Sort((left, right) => Snapshot.Chronological.Compare(left.Backup, right.Backup));
        return allBackups || candidates.Count == 0 ? candidates : [candidates[^1]];
    }

    /// <summary>The metadata checks: read-only, and a Received UUID that is the snapshot it was sent from.</summary>
    internal static void CheckMetadata(SubvolumeInfo backup, Guid? sentFrom, Findings differences)
    {
        if (!backup.IsReadOnly)
        {
            differences.Add("the backup is writable (its read-only flag was cleared): it may have been changed since it was received");
        }

        if (backup.ReceivedUuid is not { } received)
        {
            differences.Add("the backup has no Received UUID (cleared when it was made writable): it may have been changed since it was received");
        }
        else if (sentFrom is { } expected && expected != received)
        {
            differences.Add($"the backup's Received UUID is {received}, but the target's record says it was received from snapshot {expected}");
        }
    }
}
