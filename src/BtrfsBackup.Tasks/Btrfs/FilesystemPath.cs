namespace BtrfsBackup.Btrfs;

/// <summary>
/// Paths inside a btrfs filesystem as <c>btrfs subvolume list -o</c> prints them: relative to the
/// top level, no leading slash. A directory mounted from a subvolume (<c>subvol=@home</c>) maps
/// through the mount's root.
/// </summary>
public static class FilesystemPath
{
    public static string Of(string realPath, MountedFilesystem filesystem)
    {
        var relative = Path.GetRelativePath(filesystem.MountPoint, realPath);
        var combined = relative == "." ? filesystem.FsRoot : filesystem.FsRoot.TrimEnd('/') + "/" + relative;
        return combined.Trim('/');
    }

    public static string ParentOf(string fsPath)
    {
        var slash = fsPath.LastIndexOf('/');
        return slash < 0 ? string.Empty : fsPath[..slash];
    }

    public static string NameOf(string fsPath) => fsPath[(fsPath.LastIndexOf('/') + 1)..];
}
