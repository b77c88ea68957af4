namespace BtrfsBackup.Btrfs;

/// <summary>
/// One btrfs invocation as an argument list. Plans hold these, a dry run prints them and a real
/// run executes them; a send is shown as the shell pipe it is equivalent to and runs through FIFOs
/// (<c>-f</c>) by the local transfer.
/// </summary>
public sealed record BtrfsCommand(IReadOnlyList<string> Arguments)
{
    /// <summary>The program every command runs.</summary>
    public const string Program = "btrfs";

    internal static BtrfsCommand CreateReadOnlySnapshot(string source, string destination) =>
        new(["subvolume", "snapshot", "-r", source, destination]);

    /// <summary>A writable snapshot: what a restore hands the user (it carries no Received UUID, so nothing takes it for a backup).</summary>
    internal static BtrfsCommand CreateWritableSnapshot(string source, string destination) =>
        new(["subvolume", "snapshot", source, destination]);

    internal static BtrfsCommand DeleteSubvolume(string path) =>
        new(["subvolume", "delete", path]);

    internal static BtrfsCommand ShowSubvolume(string path) =>
        new(["subvolume", "show", path]);

    /// <summary>Commits the filesystem's pending writes, so that the generations <c>show</c> reports count every change made until now.</summary>
    internal static BtrfsCommand SyncFilesystem(string path) =>
        new(["filesystem", "sync", path]);

    /// <summary>The stream of a read-only snapshot, incremental against <paramref name="parent"/> when given; to <paramref name="outputFile"/> or stdout.</summary>
    internal static BtrfsCommand Send(string snapshot, string? parent, string? outputFile = null)
    {
        var arguments = new List<string> { "send" };
        if (parent is not null)
        {
            arguments.AddRange(["-p", parent]);
        }

        if (outputFile is not null)
        {
            arguments.AddRange(["-f", outputFile]);
        }

        arguments.Add(snapshot);
        return new(arguments);
    }

    /// <summary>Receives a stream into <paramref name="targetDirectory"/>, from <paramref name="inputFile"/> or stdin.</summary>
    internal static BtrfsCommand Receive(string targetDirectory, string? inputFile = null) =>
        inputFile is null ? new(["receive", targetDirectory]) : new(["receive", "-f", inputFile, targetDirectory]);

    /// <summary>Every subvolume of the filesystem mounted at <paramref name="mountPoint"/>, with generations and UUIDs; or only the read-only ones.</summary>
    internal static BtrfsCommand ListSubvolumes(string mountPoint, bool readOnlyOnly) =>
        readOnlyOnly
            ? new(["subvolume", "list", "-g", "-c", "-u", "-q", "-R", "-r", mountPoint])
            : new(["subvolume", "list", "-g", "-c", "-u", "-q", "-R", mountPoint]);

    /// <summary>The command as a shell line, each argument quoted where it needs to be: <c>btrfs subvolume delete '/a b'</c>.</summary>
    public override string ToString() => ShellQuoting.Render(Program, Arguments);

    /// <summary>The same arguments in the same order.</summary>
    public bool Equals(BtrfsCommand? other) => other is not null && Arguments.SequenceEqual(other.Arguments);

    /// <summary>A hash of the arguments, consistent with <see cref="Equals(BtrfsCommand?)"/>.</summary>
    public override int GetHashCode() => Arguments.Aggregate(0, (hash, argument) => HashCode.Combine(hash, argument));
}
