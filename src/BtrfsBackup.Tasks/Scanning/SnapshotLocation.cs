using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;

namespace BtrfsBackup.Scanning;

/// <summary>
/// What one directory holds: our snapshots (oldest first), subvolumes with our names that are not
/// usable (writable, or a receive that never finished), and foreign subvolumes, which are never touched.
/// </summary>
public sealed record SnapshotLocation(
    string Path,
    IReadOnlyList<Snapshot> Snapshots,
    IReadOnlyList<SubvolumeInfo> Incomplete,
    IReadOnlyList<SubvolumeInfo> Foreign)
{
    public static SnapshotLocation Empty(string path) => new(path, [], [], []);

    public Snapshot? Newest => Snapshots.Count == 0 ? null : Snapshots[^1];

    public bool Contains(SnapshotName name) =>
        Snapshots.Any(snapshot => snapshot.Name == name) || Incomplete.Any(subvolume => subvolume.Name == name.ToString());

    /// <summary>
    /// Sorts subvolumes into ours and foreign. <paramref name="isComplete"/> says whether one with
    /// our name can be used: read-only in a snapshot directory, also received on a target.
    /// </summary>
    public static SnapshotLocation Classify(string path, IEnumerable<SubvolumeInfo> subvolumes, Func<SubvolumeInfo, bool> isComplete)
    {
        var snapshots = new List<Snapshot>();
        var incomplete = new List<SubvolumeInfo>();
        var foreign = new List<SubvolumeInfo>();
        foreach (var subvolume in subvolumes)
        {
            if (!SnapshotName.TryParse(subvolume.Name, out var name))
            {
                foreign.Add(subvolume);
            }
            else if (isComplete(subvolume))
            {
                snapshots.Add(new Snapshot(name, subvolume));
            }
            else
            {
                incomplete.Add(subvolume);
            }
        }

        snapshots.Sort((left, right) => left.Name.CompareTo(right.Name));
        incomplete.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        foreign.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
        return new SnapshotLocation(path, snapshots, incomplete, foreign);
    }

    public static bool IsUsableSnapshot(SubvolumeInfo subvolume) => subvolume.IsReadOnly;

    /// <summary>A receive that finished sets the Received UUID and then makes the subvolume read-only.</summary>
    public static bool IsCompleteBackup(SubvolumeInfo subvolume) => subvolume.IsReadOnly && subvolume.ReceivedUuid is not null;
}
