using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Restore;

/// <summary>
/// A read-only copy a restore can start from: one of the pair's snapshots in its snapshot_dir, or one
/// of its backups on its target, with the host it is on and the filesystem it lives on.
/// </summary>
public sealed record RestoreCopy(Snapshot Snapshot, bool OnTarget, IBtrfsHost Host, MountedFilesystem Filesystem)
{
    /// <summary>
    /// How a send stream names this copy, and how btrfs receive finds a parent: its Received UUID
    /// when it was itself received, else its own UUID.
    /// </summary>
    public Guid StreamIdentity => Snapshot.ReceivedUuid ?? Snapshot.Uuid;

    /// <summary>Where the copy is, in words: a backup on the target or a snapshot in the snapshot_dir.</summary>
    public string Side => OnTarget ? "backup on the target" : "snapshot in the snapshot_dir";

    /// <summary>The copy's name, side and path, as the log names it.</summary>
    public override string ToString() => $"{Snapshot.Name} ({Side}, {Snapshot.Path})";
}
