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

    /// <summary>The subvolume's UUID.</summary>
    public Guid Uuid => Subvolume.Uuid;

    /// <summary>For a backup, the UUID of the snapshot it was received from; null for a snapshot.</summary>
    public Guid? ReceivedUuid => Subvolume.ReceivedUuid;

    /// <summary>Where it is on its host.</summary>
    public string Path => Subvolume.Path;

    /// <summary>Whether it comes before <paramref name="other"/> in time (by the instant in its name, then its creation).</summary>
    public bool IsOlderThan(Snapshot other) => Chronological.Compare(this, other) < 0;

    /// <summary>Its name.</summary>
    public override string ToString() => Name.ToString();
}
