using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;

namespace BtrfsBackup.Scanning;

/// <summary>A read-only subvolume of the pair with one of our names: a snapshot in the snapshot_dir, or a backup on the target.</summary>
public sealed record Snapshot(SnapshotName Name, SubvolumeInfo Subvolume)
{
    /// <summary>By the instant in the name; at the same instant, by the order the filesystem made them in.</summary>
    public static IComparer<Snapshot> Chronological { get; } = Comparer<Snapshot>.Create((left, right) =>
    {
        var byInstant = left.Name.Instant.UtcTicks.CompareTo(right.Name.Instant.UtcTicks);
        if (byInstant != 0)
        {
            return byInstant;
        }

        var byCreation = left.Subvolume.CreationGeneration.CompareTo(right.Subvolume.CreationGeneration);
        return byCreation != 0 ? byCreation : left.Name.CompareTo(right.Name);
    });

    public Guid Uuid => Subvolume.Uuid;

    public Guid? ReceivedUuid => Subvolume.ReceivedUuid;

    public string Path => Subvolume.Path;

    public bool IsOlderThan(Snapshot other) => Chronological.Compare(this, other) < 0;

    public override string ToString() => Name.ToString();
}
