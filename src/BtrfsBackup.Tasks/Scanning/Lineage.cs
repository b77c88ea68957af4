using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Scanning;

/// <summary>
/// Which of what a scan found belongs to the pair, decided from the filesystem's identities and the
/// records alone (pure, so planner tests build inventories by the same rules as a real scan).
/// </summary>
internal static class Lineage
{
    /// <summary>
    /// A reachable target's state for the pair: refused when its record names another source, or when
    /// it holds received backups of our naming that no record or Received UUID proves are the pair's;
    /// otherwise the pair's backups, the record (read, or made by adopting a target from before
    /// records), and the snapshots that have reached it.
    /// </summary>
    public static TargetView Target(
        BackupPair pair,
        string hostName,
        SubvolumeInfo source,
        SnapshotLocation snapshots,
        IReadOnlyList<SubvolumeInfo> inTarget,
        TargetRecord? record,
        TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(snapshots);
        var targetPath = pair.Target!;
        if (record is not null && record.Source.Uuid != source.Uuid)
        {
            return TargetView.Refused(
                $"target {pair.TargetLocation} belongs to another source: {record.Source}; this pair's source is {pair.SourceLocation} (UUID {source.Uuid}). " +
                $"Give this pair a target directory of its own (if {pair.Source} replaced that source, move the old backups and {TargetRecord.FileName} aside first)");
        }

        var pairSnapshots = snapshots.Snapshots.Select(snapshot => snapshot.Uuid).ToHashSet();
        if (record is null)
        {
            pairSnapshots.UnionWith(ChainedToProvenBackups(inTarget, pairSnapshots));
        }

        var location = SnapshotLocation.OfBackups(targetPath, inTarget, pairSnapshots, record, zone);
        if (record is null && location.Snapshots.Count == 0
            && location.Foreign.FirstOrDefault(foreign => foreign.Reason == SnapshotLocation.OtherSourcesBackup) is { } unproven)
        {
            return TargetView.Refused(
                $"target {pair.TargetLocation} holds backups that are not this pair's (such as {unproven.Name}, received from {unproven.Subvolume.ReceivedUuid}) " +
                "and no record says whose they are; give this pair a target directory of its own, or move them aside");
        }

        record ??= Adopt(new TargetRecord.Owner(source.Uuid, pair.Source, pair.Name, hostName), snapshots, location);
        var sent = snapshots.Snapshots
            .Where(snapshot => record.HasSent(snapshot.Uuid) || location.Snapshots.Any(backup => backup.ReceivedUuid == snapshot.Uuid))
            .Select(snapshot => snapshot.Uuid)
            .ToHashSet();
        return new TargetView(TargetStatus.Reachable, $"target {pair.TargetLocation} is reachable", location, record, sent);
    }

    /// <summary>
    /// While the target cannot be read: the snapshots the snapshot_dir's record says were sent; from
    /// the record of the version before, the newest backed-up snapshot and everything older. Null when
    /// nothing is known (or the record names a snapshot that is gone), so that everything is kept.
    /// </summary>
    public static IReadOnlySet<Guid>? SentFromSource(SourceRecord? record, SnapshotLocation snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (record is null)
        {
            return null;
        }

        if (record.LegacyNewestBackedUp is not { } newest)
        {
            return record.Sent.ToHashSet();
        }

        return snapshots.Snapshots.FirstOrDefault(snapshot => snapshot.Uuid == newest) is { } parent
            ? snapshots.Snapshots.Where(snapshot => !parent.IsOlderThan(snapshot)).Select(snapshot => snapshot.Uuid).ToHashSet()
            : null;
    }

    // On a target from before records, the backups whose snapshots are gone from the source are still
    // the pair's when they are linked to a proven backup by Parent UUID (each incremental receive is made
    // from the backup of its parent): one chain of sends. Another source's backups form chains of their own.
    // Returns the Received UUIDs (source snapshots) of the backups so linked.
    private static HashSet<Guid> ChainedToProvenBackups(IReadOnlyList<SubvolumeInfo> inTarget, HashSet<Guid> pairSnapshots)
    {
        var received = inTarget.Where(subvolume => subvolume.IsReadOnly && subvolume.ReceivedUuid is not null).ToList();
        var chained = received.Where(backup => pairSnapshots.Contains(backup.ReceivedUuid!.Value)).Select(backup => backup.Uuid).ToHashSet();
        if (chained.Count == 0)
        {
            return [];
        }

        bool grew;
        do
        {
            grew = false;
            foreach (var backup in received.Where(backup => !chained.Contains(backup.Uuid)))
            {
                var linked = (backup.ParentUuid is { } parent && chained.Contains(parent))
                    || received.Any(other => chained.Contains(other.Uuid) && other.ParentUuid == backup.Uuid);
                if (linked)
                {
                    chained.Add(backup.Uuid);
                    grew = true;
                }
            }
        }
        while (grew);

        return received.Where(backup => chained.Contains(backup.Uuid)).Select(backup => backup.ReceivedUuid!.Value).ToHashSet();
    }

    // A target without a record: made by the version before records, or new. Its backups that this
    // pair's snapshots (or their chain) prove are its own are adopted, and so (as that version's rule
    // was) is every snapshot older than the newest one backed up: it was sent and purged there, or
    // skipped for good.
    private static TargetRecord Adopt(TargetRecord.Owner owner, SnapshotLocation snapshots, SnapshotLocation backups)
    {
        var index = new HashSet<Guid>(backups.Snapshots.Select(backup => backup.ReceivedUuid!.Value));
        var newest = snapshots.Snapshots.LastOrDefault(snapshot => index.Contains(snapshot.Uuid));
        var receipts = backups.Snapshots
            .Select(backup => new TargetRecord.Receipt(backup.ReceivedUuid!.Value, backup.Name.ToString(), backup.Uuid))
            .Concat(snapshots.Snapshots
                .Where(snapshot => !index.Contains(snapshot.Uuid) && newest is not null && snapshot.IsOlderThan(newest))
                .Select(snapshot => new TargetRecord.Receipt(snapshot.Uuid, snapshot.Name.ToString())))
            .ToList();
        return new TargetRecord(owner, null, receipts);
    }
}

/// <summary>What a reachable target is for the pair (see <see cref="Lineage.Target"/>).</summary>
internal sealed record TargetView(TargetStatus Status, string Reason, SnapshotLocation? Location, TargetRecord? Record, IReadOnlySet<Guid>? Sent)
{
    public static TargetView Refused(string reason) => new(TargetStatus.Refused, reason, null, null, null);
}
