namespace BtrfsBackup.Tests.Model;

/// <summary>Why a path could not be followed to its last component.</summary>
internal enum PathError
{
    None,
    NoEntry,
    NotDirectory,
    Loop,
}

/// <summary>
/// Where a path leads: its canonical form (symlinks resolved), the filesystem it is on, the directory
/// holding its last component, and what stands there (null when the name is free). With an
/// <see cref="Error"/>, a directory on the way was missing or was not one.
/// </summary>
internal sealed record ModelLocation(
    string Path,
    PathError Error,
    ModelFilesystem Filesystem,
    ModelDirectory? Parent,
    ModelEntry? Entry,
    ModelSubvolume? ParentSubvolume)
{
    public bool Exists => Error == PathError.None && Entry is not null;

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The subvolume whose root this is, or null.</summary>
    public ModelSubvolume? SubvolumeRoot => Entry is ModelDirectory { Subvolume: { } own } ? own : null;

    /// <summary>The subvolume an entry made inside this directory belongs to (null on a filesystem without subvolumes).</summary>
    public ModelSubvolume? SubvolumeInside => SubvolumeRoot ?? ParentSubvolume;

    /// <summary>What the kernel would say about the path: "No such file or directory" and the like.</summary>
    public string Errno => Error switch
    {
        PathError.NotDirectory => Model.Errno.NotDirectory,
        PathError.Loop => Model.Errno.Loop,
        _ => Model.Errno.NoEntry,
    };
}

internal sealed partial class BtrfsModel
{
    /// <summary>
    /// Follows <paramref name="path"/> as the kernel does: component by component, through mounts and
    /// symlinks (the last one only when <paramref name="followLast"/>), ".." on the path as resolved.
    /// </summary>
    public ModelLocation Find(string path, bool followLast = true)
    {
        lock (Gate)
        {
            var pending = new List<string>(Components(path));
            var current = "/";
            var at = LookUp(current);
            var links = 0;
            while (pending.Count > 0)
            {
                var name = pending[0];
                pending.RemoveAt(0);
                if (name == ".")
                {
                    continue;
                }

                if (name == "..")
                {
                    current = ParentOf(current);
                    at = LookUp(current);
                    continue;
                }

                var candidate = Join(current, name);
                at = LookUp(candidate);
                if (at.Entry is ModelSymlink link && (pending.Count > 0 || followLast))
                {
                    if (++links > MaxSymlinks)
                    {
                        return at with { Error = PathError.Loop, Entry = null };
                    }

                    current = link.Target.StartsWith('/') ? "/" : current;
                    pending.InsertRange(0, Components(link.Target));
                    at = LookUp(current);
                    continue;
                }

                if (pending.Count > 0 && at.Entry is not ModelDirectory)
                {
                    return at with
                    {
                        Path = string.Join('/', [candidate, .. pending]),
                        Error = at.Entry is null ? PathError.NoEntry : PathError.NotDirectory,
                        Entry = null,
                    };
                }

                current = candidate;
            }

            return at;
        }
    }

    /// <summary>The filesystem mounted at or above <paramref name="canonical"/> with the longest mount point, and the entry there.</summary>
    private ModelLocation LookUp(string canonical)
    {
        var filesystem = filesystems
            .Where(candidate => candidate.MountPoint is { } mountPoint && (canonical == mountPoint || IsBelow(canonical, mountPoint)))
            .MaxBy(candidate => candidate.MountPoint!.Length)!;
        var mountPoint = filesystem.MountPoint!;
        var relative = canonical == mountPoint ? string.Empty : canonical[(mountPoint == "/" ? 1 : mountPoint.Length + 1)..];
        ModelEntry? entry = filesystem.Root;
        ModelDirectory? parent = null;
        ModelSubvolume? parentSubvolume = null;
        var subvolume = filesystem.Root.Subvolume;
        foreach (var name in Components(relative))
        {
            // Only the last component may be missing: the callers walk one component at a time.
            var directory = (ModelDirectory)entry!;
            subvolume = directory.Subvolume ?? subvolume;
            parent = directory;
            parentSubvolume = subvolume;
            entry = directory.Children.GetValueOrDefault(name);
        }

        return new ModelLocation(canonical, PathError.None, filesystem, parent, entry, parentSubvolume);
    }

    public static IReadOnlyList<string> Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public static string ParentOf(string path) => Path.GetDirectoryName(path) ?? "/";

    public static bool IsBelow(string path, string folder) =>
        path != folder && path.StartsWith(folder == "/" ? "/" : folder + "/", StringComparison.Ordinal);

    private static string Join(string folder, string name) => folder == "/" ? $"/{name}" : $"{folder}/{name}";
}
