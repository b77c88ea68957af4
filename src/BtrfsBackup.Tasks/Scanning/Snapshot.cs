using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;

namespace BtrfsBackup.Scanning;

/// <summary>A read-only subvolume with one of our names, in a snapshot directory or on a target.</summary>
public sealed record Snapshot(SnapshotName Name, SubvolumeInfo Subvolume)
{
    public Guid Uuid => Subvolume.Uuid;

    public Guid? ReceivedUuid => Subvolume.ReceivedUuid;

    public string Path => Subvolume.Path;

    public override string ToString() => Name.ToString();
}
