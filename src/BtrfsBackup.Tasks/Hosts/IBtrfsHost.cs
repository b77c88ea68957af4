using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Hosts;

/// <summary>
/// What the tool asks of the machine a location is on: its paths, mounts and btrfs subvolumes, and
/// the small record files it keeps there. The real implementation runs btrfs and findmnt here;
/// tests use an in-memory model; a remote host runs the same commands over ssh. Planning never
/// sees which one it is.
/// </summary>
public interface IBtrfsHost
{
    /// <summary>How messages name this machine ("this machine", "ssh://backup@nas").</summary>
    string Name { get; }

    /// <summary>The machine's own name, as a target's record names the machine its source is on.</summary>
    string MachineName => Name;

    /// <summary>What stands at <paramref name="path"/>, changing nothing.</summary>
    Task<PathState> InspectAsync(string path, CancellationToken cancellation);

    /// <summary>Whether anything at all stands at <paramref name="path"/> itself (a symlink to nothing too), as lstat(2) sees it.</summary>
    async Task<bool> AnythingAtAsync(string path, CancellationToken cancellation) =>
        await InspectAsync(path, cancellation) is { } state && (state.Exists || state.DanglingLinkTarget is not null);

    /// <summary>The mount that an existing (real) path lives on.</summary>
    Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation);

    /// <exception cref="BackupException">The path is not a subvolume, or btrfs failed.</exception>
    Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation);

    /// <summary>
    /// Commits the pending writes of the btrfs filesystem <paramref name="path"/> is on
    /// (<c>btrfs filesystem sync</c>): a write is seen in a subvolume's generation only once its
    /// transaction is committed, up to 30 seconds later. Changes no content.
    /// </summary>
    Task SyncFilesystemAsync(string path, CancellationToken cancellation);

    /// <summary>
    /// Every subvolume of a mounted btrfs filesystem that can be reached through its mount, each with
    /// its real path, in a fixed number of commands however many there are.
    /// </summary>
    Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesAsync(MountedFilesystem filesystem, CancellationToken cancellation);

    /// <summary>A read-only snapshot of <paramref name="source"/> at <paramref name="destination"/>, which must not exist.</summary>
    Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation);

    /// <summary>A writable snapshot of <paramref name="source"/> (restore's last step); btrfs clears its Received UUID.</summary>
    Task CreateWritableSnapshotAsync(string source, string destination, CancellationToken cancellation);

    /// <summary>Deletes the subvolume at <paramref name="path"/>.</summary>
    Task DeleteSubvolumeAsync(string path, CancellationToken cancellation);

    /// <summary>Makes a directory and any missing parents.</summary>
    Task CreateDirectoryAsync(string path, CancellationToken cancellation);

    /// <summary>A record file the tool wrote, or null when there is none; never through a symlink or from a file another user owns.</summary>
    Task<string?> ReadRecordAsync(string path, CancellationToken cancellation);

    /// <summary>Replaces a record file atomically.</summary>
    Task WriteRecordAsync(string path, string content, CancellationToken cancellation);

    /// <summary>A btrfs command as this host runs it, for a dry run and the log (over ssh: the whole ssh command line).</summary>
    string CommandLine(BtrfsCommand command) => command.ToString();
}
