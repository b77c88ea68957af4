namespace BtrfsBackup.Btrfs;

/// <summary>
/// The one place that touches btrfs and the mount table. Every call is a fixed number of processes,
/// whatever the number of subvolumes, so scanning a thousand snapshots costs what scanning one does.
/// </summary>
public static class BtrfsAdapter
{
    private const string Findmnt = "findmnt";

    /// <summary>The mount that <paramref name="existingPath"/> lives on.</summary>
    public static async Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation)
    {
        var output = await ProcessRunner.RunAsync(
            Findmnt,
            ["-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", existingPath],
            cancellation);
        return FindmntParser.Parse(existingPath, output);
    }

    /// <exception cref="ExternalCommandException">The path is not a subvolume, or btrfs failed.</exception>
    public static async Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation)
    {
        var output = await RunAsync(BtrfsCommand.ShowSubvolume(path), cancellation);
        return SubvolumeShowParser.Parse(path, output);
    }

    /// <summary>
    /// The subvolumes that sit directly in <paramref name="directory"/>, which must exist on btrfs.
    /// Two processes: one listing all children of the enclosing subvolume, one listing the read-only ones.
    /// </summary>
    public static async Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesInAsync(
        string directory,
        MountedFilesystem filesystem,
        CancellationToken cancellation)
    {
        var realDirectory = RealPath.Of(directory);
        var all = SubvolumeListParser.Parse(await RunAsync(BtrfsCommand.ListChildSubvolumes(realDirectory, readOnlyOnly: false), cancellation));
        var readOnly = SubvolumeListParser.Parse(await RunAsync(BtrfsCommand.ListChildSubvolumes(realDirectory, readOnlyOnly: true), cancellation))
            .Select(entry => entry.Id)
            .ToHashSet();

        // `list -o` prints paths from the filesystem's top level; keep those whose parent is our directory.
        var directoryInFilesystem = FilesystemPath.Of(realDirectory, filesystem);
        return all
            .Where(entry => FilesystemPath.ParentOf(entry.FsPath) == directoryInFilesystem)
            .Select(entry => new SubvolumeInfo(
                Path.Combine(directory, FilesystemPath.NameOf(entry.FsPath)),
                entry.Uuid,
                entry.ParentUuid,
                entry.ReceivedUuid,
                readOnly.Contains(entry.Id)))
            .ToList();
    }

    public static Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.CreateReadOnlySnapshot(source, destination), cancellation);

    public static Task DeleteSubvolumeAsync(string path, CancellationToken cancellation) =>
        RunAsync(BtrfsCommand.DeleteSubvolume(path), cancellation);

    public static Task<string> RunAsync(BtrfsCommand command, CancellationToken cancellation) =>
        ProcessRunner.RunAsync(BtrfsCommand.Program, command.Arguments, cancellation);
}
