using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Remote;

/// <summary>
/// A machine reached over ssh: the same btrfs and findmnt commands as on this one, each one remote
/// command through the run's shared connection, so listing a filesystem costs two commands however
/// many subvolumes it holds. Every command is one the forced-command filter in contrib/ssh allows.
/// </summary>
internal sealed class SshBtrfsHost(SshConnection connection) : IBtrfsHost
{
    private static readonly string[] RecordNames = [".btrfsbackup-target.json", ".btrfsbackup-source.json", ".btrfsbackup-last-backup"];

    public SshConnection Connection { get; } = connection;

    public string Name => Connection.Access.Endpoint.ToString();

    public string MachineName => Connection.Access.Endpoint.Host;

    public async Task<PathState> InspectAsync(string path, CancellationToken cancellation)
    {
        var (real, directory) = await ResolveAsync(path, cancellation);
        if (real is not null)
        {
            var kind = directory ? FileKind.Directory : await KindAsync(real, cancellation);
            return new PathState(path, kind, real, null, kind == FileKind.Directory ? real : await NearestExistingFolderAsync(path, cancellation));
        }

        var link = await SymlinkTargetAsync(path, cancellation);
        if (link is null)
        {
            // Nothing there, or something in the way (a file as a folder): as lstat(2) here, only "No such file" is nothing.
            await KindAsync(path, followLinks: true, "cannot inspect", cancellation);
        }

        return new PathState(path, null, null, link, await NearestExistingFolderAsync(path, cancellation));
    }

    // lstat(2) there: one command, where InspectAsync needs several when nothing is there.
    public async Task<bool> AnythingAtAsync(string path, CancellationToken cancellation) =>
        await KindAsync(path, followLinks: false, "cannot inspect", cancellation) is not null;

    public async Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation) =>
        FindmntParser.Parse(existingPath, await Connection.RunCheckedAsync(["findmnt", "-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", existingPath], cancellation));

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

    // mkdir's own failure is an IOException, as Directory.CreateDirectory's is on this machine ("Read-only file system : 'DIR'").
    public async Task CreateDirectoryAsync(string path, CancellationToken cancellation)
    {
        string[] words = ["mkdir", "-p", "--", path];
        var result = await Connection.RunAsync(words, cancellation);
        if (result.ExitCode != 0)
        {
            throw OwnReason(words, result) is { } reason
                ? new IOException($"{reason} : '{DirectoryNotMade(result.StandardError) ?? path}'")
                : Connection.Failure(words, result.ExitCode, result.StandardError);
        }
    }

    // As on this machine (TrustedFiles): never through a symlink, only a regular file, and only one no one else may write.
    public async Task<string?> ReadRecordAsync(string path, CancellationToken cancellation)
    {
        CheckRecordName(path);
        if (!Connection.Access.Sudo)
        {
            var words = RecordCommands.Read(path);
            var result = await Connection.RunAsync(words, cancellation);
            var firstLine = result.StandardOutput.IndexOf('\n', StringComparison.Ordinal);
            if (result.ExitCode == 0 && firstLine >= 0)
            {
                RecordStanding(path, result.StandardOutput[..firstLine], writing: false);
                return result.StandardOutput[(firstLine + 1)..];
            }

            if (StepThatFailed(result, RecordCommands.Status(path), RecordCommands.ScriptContent(path)) is { } step)
            {
                return result.StandardError.Contains("No such file", StringComparison.Ordinal) ? null : throw Refusal($"cannot open {path}", step, result);
            }

            // Not run (a filter older than this tool refuses the script): one step at a time, as through sudo.
        }

        if (await RecordStandingAsync(path, writing: false, cancellation) is null)
        {
            return null;
        }

        var content = RecordCommands.Content(path);
        var read = await Connection.RunAsync(content, cancellation);
        return read.ExitCode == 0 ? read.StandardOutput
            : read.StandardError.Contains("No such file", StringComparison.Ordinal) ? null
            : throw Refusal($"cannot open {path}", content, read);
    }

    // Written beside the record, flushed, then renamed over it: a cut connection leaves the old record or the new, never half of one.
    // Only over a regular file (or nothing), as on this machine: mv would move the new record into a directory standing there.
    public async Task WriteRecordAsync(string path, string content, CancellationToken cancellation)
    {
        CheckRecordName(path);
        var steps = RecordCommands.StepByStepWrite(path);
        if (!Connection.Access.Sudo)
        {
            var result = await Connection.RunAsync(RecordCommands.Write(path), cancellation, content);
            if (result.ExitCode == 0)
            {
                return;
            }

            if (result.ExitCode == RecordCommands.SomethingElseStands && result.StandardError.Length == 0)
            {
                throw NotOurs(path, KindOf(result.StandardOutput), writing: true);
            }

            if (StepThatFailed(result, steps) is { } step)
            {
                throw Refusal($"cannot write {path}", step, result);
            }

            // Not run (a filter older than this tool refuses the script): one step at a time, as through sudo.
        }

        await RecordStandingAsync(path, writing: true, cancellation);
        foreach (var step in steps)
        {
            var result = await Connection.RunAsync(step, cancellation, step == steps[0] ? content : null);
            if (result.ExitCode != 0)
            {
                throw Refusal($"cannot write {path}", step, result);
            }
        }
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

    // What stands at a record's path, itself (lstat): nothing, or a regular file, which to be read must be
    // owned by root or the ssh user and writable by no one else; anything else is refused, as TrustedFiles does here.
    private async Task<FileKind?> RecordStandingAsync(string path, bool writing, CancellationToken cancellation)
    {
        var words = RecordCommands.Status(path);
        var result = await Connection.RunAsync(words, cancellation);
        return result.ExitCode == 0 ? RecordStanding(path, result.StandardOutput, writing)
            : result.StandardError.Contains("No such file", StringComparison.Ordinal) ? null
            : throw Refusal($"{(writing ? "cannot write" : "cannot open")} {path}", words, result);
    }

    // The record's status as stat printed it (MODE:OWNER:TYPE), checked as above: a regular file, or an exception.
    private FileKind RecordStanding(string path, string status, bool writing)
    {
        var fields = status.Split(':', 3);
        var kind = KindOf(fields[2]);
        if (kind != FileKind.RegularFile)
        {
            throw NotOurs(path, kind, writing);
        }

        var mode = Convert.ToInt32(fields[0], 8);
        if (!writing && (!TrustedOwners.Contains(fields[1]) || (mode & 0b000_010_010) != 0))
        {
            throw new BackupException(
                $"{path} on {Name} is owned by {fields[1]} with mode {fields[0]}: the tool uses only records of {string.Join(" or ", TrustedOwners)} that no one else may write " +
                $"(fix there: chown {TrustedOwners[^1]} '{path}' && chmod go-w '{path}', after checking who made it)");
        }

        return kind;
    }

    private static BackupException NotOurs(string path, FileKind kind, bool writing) =>
        new(writing ? $"cannot write {path}: {kind.Describe()} stands there, not a file of ours"
            : kind == FileKind.Symlink ? $"{path} is a symlink; the tool does not follow symlinks for its own files"
            : $"{path} is {kind.Describe()}, not {FileKind.RegularFile.Describe()}; refusing to use it");

    // Which of a script's steps failed, by the program its one line of error starts with; null when none of
    // them said anything (the script did not run: refused by an older filter, say).
    private static string[]? StepThatFailed(CliWrap.Buffered.BufferedCommandResult result, params string[][] steps) =>
        result.ExitCode == 0 ? null : steps.FirstOrDefault(step => result.StandardError.StartsWith($"{step[0]}: ", StringComparison.Ordinal));

    // root, and the user the tool logs in as (who writes the records when btrfs runs through sudo).
    private string[] TrustedOwners => Connection.Access.Endpoint.User is { } user && user != "root" ? ["root", user] : ["root"];

    // The real path, and whether it is a directory, in one command for a path that is usually one (a
    // pair's folders): readlink -e resolves "PATH/" only when PATH leads to a directory. Known=false: ask stat.
    private async Task<(string? Real, bool Directory)> ResolveAsync(string path, CancellationToken cancellation)
    {
        if (path.EndsWith('/'))
        {
            return (await RealPathAsync(path, cancellation), false);
        }

        var result = await Connection.RunAsync(["readlink", "-e", "--", path, path + "/"], cancellation);
        var output = result.StandardOutput;
        var half = output.Length / 2;
        return result.ExitCode == 0 && output.Length % 2 == 0 && output.EndsWith('\n') && output[..half] == output[half..] ? (output[..(half - 1)], true)
            : result.ExitCode != 0 && output.EndsWith('\n') ? (output[..^1], false)
            // readlink -e fails silently where nothing is there; a message is another failure (an older filter that
            // refuses this form, say): ask with one path, as before.
            : result.ExitCode != 0 && result.StandardError.Length == 0 ? (null, false)
            : (await RealPathAsync(path, cancellation), false);
    }

    private async Task<string?> RealPathAsync(string path, CancellationToken cancellation)
    {
        var result = await Connection.RunAsync(["readlink", "-e", "--", path], cancellation);
        return result.ExitCode == 0 ? result.StandardOutput.TrimEnd('\n') : null;
    }

    private async Task<FileKind> KindAsync(string realPath, CancellationToken cancellation) =>
        KindOf(await Connection.RunCheckedAsync(["stat", "-L", "--printf=%F", "--", realPath], cancellation));

    // What stands at the path (symlinks followed, or the entry itself as lstat sees it); null when nothing does.
    // Any other failure is "FAILURE PATH: why", as this machine words it.
    private async Task<FileKind?> KindAsync(string path, bool followLinks, string failure, CancellationToken cancellation)
    {
        string[] words = followLinks ? ["stat", "-L", "--printf=%F", "--", path] : ["stat", "--printf=%F", "--", path];
        var result = await Connection.RunAsync(words, cancellation);
        return result.ExitCode == 0 ? KindOf(result.StandardOutput)
            : result.StandardError.Contains("No such file", StringComparison.Ordinal) ? null
            : throw Refusal($"{failure} {path}", words, result);
    }

    // The target of a symlink standing at the path (readlink without -e: the link itself, not what it leads to); null when none does.
    private async Task<string?> SymlinkTargetAsync(string path, CancellationToken cancellation)
    {
        var link = await Connection.RunAsync(["readlink", "--", path], cancellation);
        return link.ExitCode == 0 ? link.StandardOutput.TrimEnd('\n') : null;
    }

    // A coreutils command that failed on the file itself ("cat: PATH: Is a directory") fails as this machine's
    // system call would ("MESSAGE: Is a directory"); anything else (ssh, sudo, the filter) as any remote command.
    private BackupException Refusal(string message, string[] words, CliWrap.Buffered.BufferedCommandResult result) =>
        OwnReason(words, result) is { } reason ? new BackupException($"{message}: {reason}") : Connection.Failure(words, result.ExitCode, result.StandardError);

    // The system's reason ("Read-only file system") when the command's one line of error is its own, about the file; else null.
    private string? OwnReason(string[] words, CliWrap.Buffered.BufferedCommandResult result)
    {
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 && lines[0].StartsWith($"{words[0]}: ", StringComparison.Ordinal)
            && SshFailure.Explain(Connection.Access, result.ExitCode, result.StandardError) is null
            ? lines[0][(lines[0].LastIndexOf(": ", StringComparison.Ordinal) + 2)..]
            : null;
    }

    // "mkdir: cannot create directory 'DIR': REASON" names the one it could not make (a parent, perhaps), as .NET does.
    private static string? DirectoryNotMade(string standardError)
    {
        const string Prefix = "mkdir: cannot create directory '";
        var line = standardError.Trim();
        var end = line.LastIndexOf("': ", StringComparison.Ordinal);
        return line.StartsWith(Prefix, StringComparison.Ordinal) && end >= Prefix.Length ? line[Prefix.Length..end] : null;
    }

    private static FileKind KindOf(string statType) =>
        statType switch
        {
            "directory" => FileKind.Directory,
            "symbolic link" => FileKind.Symlink,
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
