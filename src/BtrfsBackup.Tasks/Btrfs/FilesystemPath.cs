namespace BtrfsBackup.Btrfs;

/// <summary>
/// Paths inside a btrfs filesystem as <c>btrfs subvolume list</c> prints them: relative to the top
/// level, no leading slash. A directory mounted from a subvolume (<c>subvol=@home</c>) maps through
/// the mount's root.
/// </summary>
internal static class FilesystemPath
{
    /// <summary>Where a subvolume listed at <paramref name="fsPath"/> is seen through the mount; null when the mount does not reach it.</summary>
    public static string? ToMountedPath(string fsPath, MountedFilesystem filesystem)
    {
        ArgumentNullException.ThrowIfNull(filesystem);
        var root = filesystem.FsRoot.Trim('/');
        if (root.Length == 0)
        {
            return Path.Join(filesystem.MountPoint, fsPath);
        }

        return fsPath == root ? filesystem.MountPoint
            : fsPath.StartsWith(root + "/", StringComparison.Ordinal) ? Path.Join(filesystem.MountPoint, fsPath[(root.Length + 1)..])
            : null;
    }
}
