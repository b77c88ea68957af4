using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;

namespace BtrfsBackup.Scanning;

/// <summary>
/// The subvolume listings of one run, one per mounted btrfs filesystem (by host, mount and filesystem
/// UUID), so that pairs on the same filesystem share one <c>btrfs subvolume list</c> (and one
/// <c>btrfs filesystem sync</c> before it, for <c>snapshot_when = "changed"</c>). A listing is
/// only as fresh as the last change: the run forgets them all after every step that may change a
/// filesystem, and whenever a pair's locks are taken after the listing was made (another run may
/// have held them and changed that pair's folders).
/// </summary>
internal sealed class SubvolumeListings
{
    private readonly Lock gate = new();
    private readonly Dictionary<(IBtrfsHost Host, MountedFilesystem Filesystem), Task<IReadOnlyList<SubvolumeInfo>>> listed = [];
    private readonly Dictionary<(IBtrfsHost Host, MountedFilesystem Filesystem), Task> synced = [];

    /// <summary>The subvolumes of <paramref name="filesystem"/> on <paramref name="host"/>: listed now, or as listed since the last <see cref="Forget"/>.</summary>
    public Task<IReadOnlyList<SubvolumeInfo>> ListAsync(IBtrfsHost host, MountedFilesystem filesystem, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(filesystem);
        if (filesystem.Uuid is null)
        {
            return host.ListSubvolumesAsync(filesystem, cancellation);
        }

        lock (gate)
        {
            if (listed.TryGetValue((host, filesystem), out var known) && !known.IsFaulted && !known.IsCanceled)
            {
                return known;
            }

            var listing = host.ListSubvolumesAsync(filesystem, cancellation);
            listed[(host, filesystem)] = listing;
            return listing;
        }
    }

    /// <summary>
    /// Commits the pending writes of <paramref name="filesystem"/> (through <paramref name="path"/> on it),
    /// once for the pairs on it: what was written before the run's scans is in the generations they read.
    /// </summary>
    public Task SyncAsync(IBtrfsHost host, MountedFilesystem filesystem, string path, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(filesystem);
        if (filesystem.Uuid is null)
        {
            return host.SyncFilesystemAsync(path, cancellation);
        }

        lock (gate)
        {
            if (synced.TryGetValue((host, filesystem), out var known) && !known.IsFaulted && !known.IsCanceled)
            {
                return known;
            }

            var syncing = host.SyncFilesystemAsync(path, cancellation);
            synced[(host, filesystem)] = syncing;
            return syncing;
        }
    }

    /// <summary>Drops every listing (and commit): the next scan lists again.</summary>
    public void Forget()
    {
        lock (gate)
        {
            listed.Clear();
            synced.Clear();
        }
    }
}
