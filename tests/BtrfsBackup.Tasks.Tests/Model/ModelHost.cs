using System.Text;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Tests.Model;

/// <summary>
/// The tool's view of a <see cref="BtrfsModel"/>: answers as <see cref="LocalBtrfsHost"/> answers on a
/// real machine, and fails as it fails (a btrfs or findmnt command's <see cref="ExternalCommandException"/>
/// with the command line the real host would have run; a record's <see cref="BackupException"/> with
/// the wording of <see cref="TrustedFiles"/>). Results come back as tasks, failures as faulted tasks.
/// </summary>
internal sealed class ModelHost(BtrfsModel machine, string name = "this machine") : IBtrfsHost
{
    public BtrfsModel Machine { get; } = machine;

    public string Name { get; } = name;

    public Task<PathState> InspectAsync(string path, CancellationToken cancellation) => Answer(() =>
    {
        var nearest = NearestExistingFolder(path);
        var entry = Machine.Find(path, followLast: false);
        if (entry.Error is PathError.NotDirectory or PathError.Loop)
        {
            // statx(2) on a path through a regular file, or through a loop of symlinks.
            throw new BackupException($"cannot inspect {path}: {entry.Errno}");
        }

        if (!entry.Exists)
        {
            return new PathState(path, null, null, null, nearest);
        }

        var resolved = Machine.Find(path);
        if (!resolved.Exists)
        {
            // A symlink (or a chain of them) that ends nowhere.
            return new PathState(path, null, null, (entry.Entry as ModelSymlink)?.Target ?? "?", nearest);
        }

        var kind = resolved.Entry!.Kind;
        return new PathState(path, kind, resolved.Path, null, kind == FileKind.Directory ? resolved.Path : nearest);
    });

    public Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation) => Answer(() =>
    {
        var at = Machine.Find(existingPath);
        if (!at.Exists)
        {
            // findmnt --target on a path that is not there prints nothing and exits 1.
            throw new ExternalCommandException(
                ShellQuoting.Render("findmnt", ["-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", existingPath]), 1, string.Empty);
        }

        return new MountedFilesystem(at.Filesystem.MountPoint!, at.Filesystem.Type, "/", at.Filesystem.Uuid);
    });

    public Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation) =>
        Btrfs(BtrfsCommand.ShowSubvolume(path), () => Info(path, Machine.ShowSubvolume(path)));

    public Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesAsync(MountedFilesystem filesystem, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(filesystem);
        return Btrfs<IReadOnlyList<SubvolumeInfo>>(BtrfsCommand.ListSubvolumes(filesystem.MountPoint, readOnlyOnly: false), () =>
        {
            lock (Machine.Gate)
            {
                // Lists the filesystem that is at the mount point now, whichever that is, with paths through the mount given.
                var at = Machine.Find(filesystem.MountPoint);
                if (!at.Exists || !at.Filesystem.IsBtrfs)
                {
                    throw new ModelCommandException($"ERROR: can't access '{filesystem.MountPoint}'");
                }

                return at.Filesystem.Subvolumes()
                    .Select(found => (found.Subvolume, Path: FilesystemPath.ToMountedPath(found.FsPath, filesystem)))
                    .Where(found => found.Path is not null)
                    .Select(found => Info(found.Path!, found.Subvolume))
                    .ToList();
            }
        });
    }

    public Task SyncFilesystemAsync(string path, CancellationToken cancellation) =>
        Btrfs(BtrfsCommand.SyncFilesystem(path), () =>
        {
            Machine.SyncFilesystem(path);
            return true;
        });

    public Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        Btrfs(BtrfsCommand.CreateReadOnlySnapshot(source, destination), () => Machine.Snapshot(source, destination, readOnly: true));

    public Task CreateWritableSnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        Btrfs(BtrfsCommand.CreateWritableSnapshot(source, destination), () => Machine.Snapshot(source, destination, readOnly: false));

    public Task DeleteSubvolumeAsync(string path, CancellationToken cancellation) =>
        Btrfs(BtrfsCommand.DeleteSubvolume(path), () =>
        {
            Machine.DeleteSubvolume(path);
            return true;
        });

    public Task CreateDirectoryAsync(string path, CancellationToken cancellation) => Answer(() =>
    {
        try
        {
            Machine.CreateDirectory(path);
        }
        catch (ModelIOException e)
        {
            // What Directory.CreateDirectory throws for such an errno: a plain IOException.
            throw new IOException(e.Message, e);
        }

        return true;
    });

    public Task<string?> ReadRecordAsync(string path, CancellationToken cancellation) => Answer(() =>
    {
        // open(O_NOFOLLOW): the last component is never followed.
        var at = Machine.Find(path, followLast: false);
        return at.Error == PathError.NoEntry || (at.Error == PathError.None && at.Entry is null) ? null
            : at.Error != PathError.None ? throw new BackupException($"cannot open {path}: {at.Errno}")
            : at.Entry is ModelSymlink ? throw new BackupException($"{path} is a symlink; the tool does not follow symlinks for its own files")
            : at.Entry is ModelFile file ? Encoding.UTF8.GetString(file.Content)
            : throw new BackupException($"{path} is {at.Entry!.Kind.Describe()}, not {FileKind.RegularFile.Describe()}; refusing to use it");
    });

    public Task WriteRecordAsync(string path, string content, CancellationToken cancellation) => Answer(() =>
    {
        lock (Machine.Gate)
        {
            var at = Machine.Find(path, followLast: false);
            if (at.Exists && at.Entry is not ModelFile)
            {
                throw new BackupException($"cannot write {path}: {at.Entry!.Kind.Describe()} stands there, not a file of ours");
            }

            try
            {
                // Written whole or not at all, as the real rename into place is.
                Machine.WriteFile(path, content);
            }
            catch (ModelIOException e)
            {
                throw new BackupException($"cannot write {path}: {e.Errno}", e);
            }

            return true;
        }
    });

    /// <summary>What `btrfs subvolume show` would tell of <paramref name="subvolume"/>, seen at <paramref name="path"/>.</summary>
    public static SubvolumeInfo Info(string path, ModelSubvolume subvolume) => new(
        path,
        subvolume.Uuid,
        subvolume.ParentUuid,
        subvolume.ReceivedUuid,
        subvolume.IsReadOnly,
        subvolume.Generation,
        subvolume.CreationGeneration);

    // The real path of the nearest directory at or above the path, walking up by name as the real host does.
    private string NearestExistingFolder(string path)
    {
        var current = path;
        while (Machine.Find(current).Entry is not ModelDirectory)
        {
            current = BtrfsModel.ParentOf(current);
        }

        return Machine.Find(current).Path;
    }

    private static Task<T> Answer<T>(Func<T> body)
    {
        try
        {
            return Task.FromResult(body());
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    /// <summary>Every btrfs command this host was asked to run, in order: what a run costs in processes on a real machine.</summary>
    public IReadOnlyList<BtrfsCommand> BtrfsCommands => commands;

    private readonly List<BtrfsCommand> commands = [];

    // A btrfs command: the model's refusal becomes the real host's exception for that command line.
    private Task<T> Btrfs<T>(BtrfsCommand command, Func<T> body) => Answer(() =>
    {
        commands.Add(command);
        try
        {
            return body();
        }
        catch (ModelCommandException e)
        {
            throw new ExternalCommandException(command.ToString(), e.ExitCode, e.StandardError);
        }
    });
}
