using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;

namespace BtrfsBackup.Scanning;

/// <summary>A subvolume the pair does not own, and why; never sent, counted, made a parent or deleted.</summary>
public sealed record ForeignSubvolume(SubvolumeInfo Subvolume, string Reason)
{
    /// <summary>The subvolume's name.</summary>
    public string Name => Subvolume.Name;

    /// <summary>Where the subvolume is.</summary>
    public string Path => Subvolume.Path;
}

/// <summary>
/// What one directory (a snapshot_dir or a target) holds: the pair's snapshots or backups (oldest
/// first); on a target, the tool's own receive that did not finish (<see cref="Incomplete"/>) and
/// writable subvolumes it did not make (<see cref="Writable"/>, such as a backup made writable by
/// hand); and everything else, which is foreign. Only <see cref="Snapshots"/> and
/// <see cref="Incomplete"/> are ever acted on.
/// </summary>
public sealed record SnapshotLocation(
    string Path,
    IReadOnlyList<Snapshot> Snapshots,
    IReadOnlyList<SubvolumeInfo> Incomplete,
    IReadOnlyList<SubvolumeInfo> Writable,
    IReadOnlyList<ForeignSubvolume> Foreign)
{
    /// <summary>The reason given to a read-only received subvolume that is not the pair's.</summary>
    public const string OtherSourcesBackup = "backup of another source";

    /// <summary>A location that holds nothing yet (a snapshot_dir not made yet).</summary>
    public static SnapshotLocation Empty(string path) => new(path, [], [], [], []);

    /// <summary>The newest snapshot or backup here; null when there is none.</summary>
    public Snapshot? Newest => Snapshots.Count == 0 ? null : Snapshots[^1];

    /// <summary>Whether any subvolume here already has this name, whatever it is.</summary>
    public bool Contains(string name) =>
        Snapshots.Any(snapshot => snapshot.Subvolume.Name == name)
        || Incomplete.Concat(Writable).Any(subvolume => subvolume.Name == name)
        || Foreign.Any(foreign => foreign.Name == name);

    /// <summary>
    /// The pair's snapshots in its snapshot_dir: read-only, one of our names, taken of this very source
    /// (Parent UUID is the source's UUID), and not received from elsewhere.
    /// </summary>
    internal static SnapshotLocation OfSnapshots(string path, IEnumerable<SubvolumeInfo> subvolumes, Guid sourceUuid, TimeZoneInfo zone)
    {
        var snapshots = new List<Snapshot>();
        var foreign = new List<ForeignSubvolume>();
        foreach (var subvolume in subvolumes)
        {
            var reason = !SnapshotName.TryParse(subvolume.Name, zone, out var name) ? "not a snapshot name"
                : subvolume.ReceivedUuid is not null ? "a received subvolume, not a snapshot taken here"
                : !subvolume.IsReadOnly ? "writable: not a snapshot"
                : subvolume.ParentUuid != sourceUuid ? "snapshot of another subvolume"
                : null;
            if (reason is null)
            {
                snapshots.Add(new Snapshot(name, subvolume));
            }
            else
            {
                foreign.Add(new ForeignSubvolume(subvolume, reason));
            }
        }

        return Sorted(path, snapshots, [], [], foreign);
    }

    /// <summary>
    /// The pair's backups on its target: read-only, one of our names, and received from a snapshot the
    /// pair has (by Received UUID) or has recorded sending there. A writable subvolume is the tool's
    /// unfinished receive only when the record names it as the receive under way; any other is left alone.
    /// </summary>
    internal static SnapshotLocation OfBackups(string path, IEnumerable<SubvolumeInfo> subvolumes, IReadOnlySet<Guid> pairSnapshots, TargetRecord? record, TimeZoneInfo zone)
    {
        var backups = new List<Snapshot>();
        var incomplete = new List<SubvolumeInfo>();
        var writable = new List<SubvolumeInfo>();
        var foreign = new List<ForeignSubvolume>();
        foreach (var subvolume in subvolumes)
        {
            if (!SnapshotName.TryParse(subvolume.Name, zone, out var name))
            {
                foreign.Add(new ForeignSubvolume(subvolume, "not a backup name"));
            }
            else if (!subvolume.IsReadOnly)
            {
                var receiving = record?.Receiving;
                var ours = receiving is not null && receiving.Name == subvolume.Name && !record!.IsRecordedBackup(subvolume.Uuid);
                (ours ? incomplete : writable).Add(subvolume);
            }
            else if (subvolume.ReceivedUuid is not { } received)
            {
                foreign.Add(new ForeignSubvolume(subvolume, "read-only but not received: not a backup"));
            }
            else if (pairSnapshots.Contains(received) || record?.HasSent(received) == true)
            {
                backups.Add(new Snapshot(name, subvolume));
            }
            else
            {
                foreign.Add(new ForeignSubvolume(subvolume, OtherSourcesBackup));
            }
        }

        return Sorted(path, backups, incomplete, writable, foreign);
    }

    private static SnapshotLocation Sorted(string path, List<Snapshot> snapshots, List<SubvolumeInfo> incomplete, List<SubvolumeInfo> writable, List<ForeignSubvolume> foreign)
    {
        snapshots.Sort(Snapshot.Chronological);
        incomplete.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        writable.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        foreign.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        return new SnapshotLocation(path, snapshots, incomplete, writable, foreign);
    }
}
