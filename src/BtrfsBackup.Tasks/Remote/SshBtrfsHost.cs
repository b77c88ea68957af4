using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Remote;

/// <summary>
/// A machine reached over ssh: the same btrfs and findmnt commands as on this one, each one remote
/// command through the run's shared connection, so listing a filesystem costs two commands however
/// many subvolumes it holds. Every command is one the forced-command filter in contrib/ssh allows.
/// </summary>
public sealed class SshBtrfsHost(SshConnection connection) : IBtrfsHost
{
    private static readonly string[] RecordNames = [".btrfsbackup-target.json", ".btrfsbackup-source.json", ".btrfsbackup-last-backup"];

    public SshConnection Connection { get; } = connection;

    public string Name => Connection.Access.Endpoint.ToString();

    public string MachineName => Connection.Access.Endpoint.Host;

    public async Task<PathState> InspectAsync(string path, CancellationToken cancellation)
    {
        var real = await RealPathAsync(path, cancellation);
        if (real is not null)
        {
            var kind = await KindAsync(real, cancellation);
            return new PathState(path, kind, real, null, kind == FileKind.Directory ? real : await NearestExistingFolderAsync(path, cancellation));
        }

        var link = await Connection.RunAsync(["readlink", "--", path], cancellation);
        return new PathState(path, null, null, link.ExitCode == 0 ? link.StandardOutput.TrimEnd('\n') : null, await NearestExistingFolderAsync(path, cancellation));
    }

    public async Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation) =>
        FindmntParser.Parse(existingPath, await Connection.RunCheckedAsync(["findmnt", "-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", existingPath], cancellation));

    public async Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation) =>
        SubvolumeShowParser.Parse(path, await RunAsync(BtrfsCommand.ShowSubvolume(path), cancellation));

    public async Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesAsync(MountedFilesystem filesystem, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(filesystem);
        return SubvolumeListParser.Combine(
            await RunAsync(BtrfsCommand.ListSubvolumes(filesystem.MountPoint, readOnlyOnly: false), cancellation),
            await RunAsync(BtrfsCommand.ListSubvolumes(filesystem.MountPoint, readOnlyOnly: true), cancellation),
            filesystem);
    }

    public Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.CreateReadOnlySnapshot(source, destination), cancellation);

    public Task DeleteSubvolumeAsync(string path, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.DeleteSubvolume(path), cancellation);

    public Task CreateDirectoryAsync(string path, CancellationToken cancellation) =>
        Connection.RunCheckedAsync(["mkdir", "-p", "--", path], cancellation);

    public async Task<string?> ReadRecordAsync(string path, CancellationToken cancellation)
    {
        CheckRecordName(path);
        var words = new[] { "cat", "--", path };
        var result = await Connection.RunAsync(words, cancellation);
        return result.ExitCode == 0 ? result.StandardOutput
            : result.StandardError.Contains("No such file", StringComparison.Ordinal) ? null
            : throw Connection.Failure(words, result.ExitCode, result.StandardError);
    }

    // Written beside the record, flushed, then renamed over it: a cut connection leaves the old record or the new, never half of one.
    public async Task WriteRecordAsync(string path, string content, CancellationToken cancellation)
    {
        CheckRecordName(path);
        await Connection.RunCheckedAsync(["dd", $"of={path}.tmp", "conv=fsync", "status=none"], cancellation, content);
        await Connection.RunCheckedAsync(["mv", "-f", "--", $"{path}.tmp", path], cancellation);
    }

    /// <summary>
    /// Holds an exclusive lock on a directory there (flock(1) on the directory itself, so nothing is
    /// created that could be planted) until disposed or until this run ends, however it ends.
    /// </summary>
    /// <exception cref="BackupException">Another run, from any machine, holds it.</exception>
    public Task<IAsyncDisposable> LockAsync(string directory, CancellationToken cancellation) =>
        RemoteLock.AcquireAsync(Connection, directory, cancellation);

    public string CommandLine(BtrfsCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Connection.Command.Render([BtrfsCommand.Program, .. command.Arguments]);
    }

    private async Task<string?> RealPathAsync(string path, CancellationToken cancellation)
    {
        var result = await Connection.RunAsync(["readlink", "-e", "--", path], cancellation);
        return result.ExitCode == 0 ? result.StandardOutput.TrimEnd('\n') : null;
    }

    private async Task<FileKind> KindAsync(string realPath, CancellationToken cancellation) =>
        (await Connection.RunCheckedAsync(["stat", "-L", "--printf=%F", "--", realPath], cancellation)) switch
        {
            "directory" => FileKind.Directory,
            "regular file" or "regular empty file" => FileKind.RegularFile,
            "fifo" => FileKind.Fifo,
            "socket" => FileKind.Socket,
            "character special file" => FileKind.CharacterDevice,
            "block special file" => FileKind.BlockDevice,
            _ => FileKind.Unknown,
        };

    private async Task<string> NearestExistingFolderAsync(string path, CancellationToken cancellation)
    {
        for (var folder = Path.GetDirectoryName(path); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (await RealPathAsync(folder, cancellation) is { } real)
            {
                return real;
            }
        }

        return "/";
    }

    private async Task<string> RunAsync(BtrfsCommand command, CancellationToken cancellation) =>
        await Connection.RunCheckedAsync([BtrfsCommand.Program, .. command.Arguments], cancellation);

    private static void CheckRecordName(string path)
    {
        if (!RecordNames.Contains(Path.GetFileName(path)))
        {
            throw new InvalidOperationException($"{path} is not a record file the tool keeps");
        }
    }
}
