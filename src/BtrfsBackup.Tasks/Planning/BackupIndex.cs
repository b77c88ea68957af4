using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>
/// Which source snapshots have a complete backup on the target. Identity is the backup's Received
/// UUID, which equals the UUID of the snapshot it was sent from; names are only labels.
/// </summary>
internal sealed class BackupIndex
{
    private readonly Dictionary<Guid, Snapshot> backupsBySourceUuid;

    public BackupIndex(SnapshotLocation? target)
    {
        backupsBySourceUuid = (target?.Snapshots ?? [])
            .Where(backup => backup.ReceivedUuid is not null)
            .GroupBy(backup => backup.ReceivedUuid!.Value)
            .ToDictionary(group => group.Key, group => group.First());
    }

    public Snapshot? BackupOf(Snapshot sourceSnapshot) =>
        backupsBySourceUuid.GetValueOrDefault(sourceSnapshot.Uuid);

    public bool IsBackedUp(Snapshot sourceSnapshot) => backupsBySourceUuid.ContainsKey(sourceSnapshot.Uuid);

    /// <summary>
    /// The parent for an incremental send of <paramref name="snapshot"/>: the newest source snapshot
    /// older than it whose backup is on the target; null means a full send.
    /// </summary>
    public Snapshot? ParentFor(Snapshot snapshot, IReadOnlyList<Snapshot> sourceSnapshots) =>
        sourceSnapshots.LastOrDefault(candidate => candidate.IsOlderThan(snapshot) && IsBackedUp(candidate));

    /// <summary>The newest source snapshot with a complete backup: the next incremental's parent.</summary>
    public Snapshot? NewestBackedUp(IReadOnlyList<Snapshot> sourceSnapshots) =>
        sourceSnapshots.LastOrDefault(IsBackedUp);
}
