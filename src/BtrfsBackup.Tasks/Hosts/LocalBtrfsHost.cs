using BtrfsBackup.Btrfs;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Hosts;

/// <summary>
/// This machine: btrfs (and findmnt, for a path not on a plain btrfs mount) run as child processes with argument lists (no shell), records
/// written with <see cref="TrustedFiles"/>. Listing a filesystem costs two processes, however many
/// subvolumes it holds.
/// </summary>
internal sealed class LocalBtrfsHost : IBtrfsHost
{
    private const string Findmnt = "findmnt";

    public static LocalBtrfsHost Instance { get; } = new();

    public string Name => "this machine";

    public string MachineName => Environment.MachineName;

    public Task<PathState> InspectAsync(string path, CancellationToken cancellation)
    {
        var nearest = RealPath.AsFarAsItExists(NearestExistingFolder(path));
        var entry = FileStatus.OfEntry(path);
        if (entry is null)
        {
            return Task.FromResult(new PathState(path, null, null, null, nearest));
        }

        var real = RealPath.TryOf(path);
        if (real is null)
        {
            // A symlink (or a chain of them) that ends nowhere.
            return Task.FromResult(new PathState(path, null, null, new FileInfo(path).LinkTarget ?? "?", nearest));
        }

        var kind = FileStatus.OfEntry(real)?.Kind;
        return Task.FromResult(new PathState(path, kind, real, null, kind == FileKind.Directory ? real : nearest));
    }

    public Task<bool> AnythingAtAsync(string path, CancellationToken cancellation) => Task.FromResult(FileStatus.OfEntry(path) is not null);

    public async Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation)
    {
        // A btrfs mount is read from the mount table in process; anything else is findmnt's to say.
        if (MountTable.Find(existingPath) is { } mounted)
        {
            return mounted;
        }

        var output = await ProcessRunner.RunAsync(
            Findmnt,
            ["-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", existingPath],
            cancellation);
        return FindmntParser.Parse(existingPath, output);
    }

    public async Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation) =>
        SubvolumeShowParser.Parse(path, await RunAsync(BtrfsCommand.ShowSubvolume(path), cancellation));

    public Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesAsync(MountedFilesystem filesystem, CancellationToken cancellation) =>
        SubvolumeListParser.ListAsync(RunAsync, filesystem, cancellation);

    public Task SyncFilesystemAsync(string path, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.SyncFilesystem(path), cancellation);

    public Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.CreateReadOnlySnapshot(source, destination), cancellation);

    public Task CreateWritableSnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.CreateWritableSnapshot(source, destination), cancellation);

    public Task DeleteSubvolumeAsync(string path, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.DeleteSubvolume(path), cancellation);

    public Task CreateDirectoryAsync(string path, CancellationToken cancellation)
    {
        Directory.CreateDirectory(path);
        return Task.CompletedTask;
    }

    public Task<string?> ReadRecordAsync(string path, CancellationToken cancellation) => Task.FromResult(TrustedFiles.ReadIfPresent(path));

    public Task WriteRecordAsync(string path, string content, CancellationToken cancellation)
    {
        TrustedFiles.WriteAtomically(path, content);
        return Task.CompletedTask;
    }

    private static Task<string> RunAsync(BtrfsCommand command, CancellationToken cancellation) =>
        ProcessRunner.RunAsync(BtrfsCommand.Program, command.Arguments, cancellation);

    private static string NearestExistingFolder(string path)
    {
        var current = path;
        while (!Directory.Exists(current))
        {
            current = Path.GetDirectoryName(current) ?? "/";
        }

        return current;
    }
}
