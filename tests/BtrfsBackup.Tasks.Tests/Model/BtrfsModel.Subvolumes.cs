namespace BtrfsBackup.Tests.Model;

/// <summary>
/// The btrfs commands on subvolumes, with btrfs's rules and its messages (btrfs-progs 6.2, checked
/// against a loop-mounted filesystem): <c>subvolume create</c>, <c>snapshot</c>, <c>delete</c>, <c>show</c>
/// and <c>property set ro</c>. They fail with <see cref="ModelCommandException"/>, carrying the stderr.
/// </summary>
internal sealed partial class BtrfsModel
{
    /// <summary><c>btrfs subvolume create PATH</c>: a new empty writable subvolume.</summary>
    public ModelSubvolume CreateSubvolume(string path)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (at.Exists)
            {
                throw new ModelCommandException($"ERROR: target path already exists: {path}");
            }

            var folder = ParentOf(path);
            var into = Find(folder);
            if (into.Entry is not ModelDirectory directory)
            {
                throw new ModelCommandException($"ERROR: cannot access '{folder}': {into.Errno}");
            }

            if (!into.Filesystem.IsBtrfs)
            {
                throw new ModelCommandException($"ERROR: not a btrfs filesystem: {folder}");
            }

            if (RefusesChange(into) is { } refused)
            {
                throw new ModelCommandException($"ERROR: cannot create subvolume: {refused}");
            }

            var root = new ModelDirectory();
            var created = into.Filesystem.NewSubvolume(root, parentUuid: null, receivedUuid: null, readOnly: false);
            directory.Children[at.Name] = root;
            Touch(into, created.Generation);
            return created;
        }
    }

    /// <summary>
    /// <c>btrfs subvolume snapshot [-r] SOURCE DESTINATION</c>. As btrfs does, a DESTINATION that is an
    /// existing directory gets the snapshot inside it, under the source's name. The snapshot's Parent UUID
    /// is the source's; a read-only one keeps the source's Received UUID (the kernel clears it only for a
    /// writable one); nested subvolumes of the source are empty directories in it.
    /// </summary>
    public ModelSubvolume Snapshot(string source, string destination, bool readOnly)
    {
        lock (Gate)
        {
            var from = Find(source);
            if (!from.Exists)
            {
                throw new ModelCommandException($"ERROR: Could not statfs: {from.Errno}");
            }

            var original = SubvolumeAt(from);
            var to = Find(destination);
            string folder;
            string name;
            if (to.Entry is ModelDirectory)
            {
                (folder, name) = (destination, Path.GetFileName(source.TrimEnd('/')));
            }
            else if (to.Exists)
            {
                throw new ModelCommandException($"ERROR: '{destination}' exists and it is not a directory");
            }
            else
            {
                (folder, name) = (ParentOf(destination), Path.GetFileName(destination));
            }

            var into = Find(folder);
            if (into.Entry is not ModelDirectory directory)
            {
                throw new ModelCommandException($"ERROR: cannot access '{folder}': {into.Errno}");
            }

            // In the order the kernel checks: the mount, then write access, then the name.
            var refused = into.Filesystem != from.Filesystem ? Errno.CrossDevice
                : RefusesChange(into, allocates: false) is { } readOnlyRefusal ? readOnlyRefusal
                : directory.Children.ContainsKey(name) ? Errno.Exists
                : RefusesChange(into);
            if (refused is not null)
            {
                throw new ModelCommandException($"ERROR: cannot snapshot '{source}': {refused}");
            }

            var root = original.Root.CopyContent();
            var snapshot = into.Filesystem.NewSubvolume(root, original.Uuid, readOnly ? original.ReceivedUuid : null, readOnly);
            directory.Children[name] = root;
            Touch(into, snapshot.Generation);
            // The source's root is written in the snapshot's transaction: its generation moves too.
            original.Generation = snapshot.Generation;
            return snapshot;
        }
    }

    /// <summary><c>btrfs subvolume delete PATH</c>: only a subvolume, and only once no subvolume is nested in it.</summary>
    public void DeleteSubvolume(string path)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (!at.Exists)
            {
                throw new ModelCommandException($"ERROR: Could not statfs: {at.Errno}");
            }

            var subvolume = SubvolumeAt(at);
            var refused = subvolume.IsTopLevel || at.Parent is null ? Errno.Busy
                : Refuses(at.Filesystem, at.ParentSubvolume, allocates: false) is { } readOnly ? readOnly
                : subvolume.Root.SubvolumesBelow().Any() ? Errno.NotEmpty
                : null;
            if (refused is not null)
            {
                throw new ModelCommandException($"ERROR: Could not destroy subvolume/snapshot: {refused}");
            }

            at.Parent!.Children.Remove(at.Name);
            at.Filesystem.Commit(at.ParentSubvolume);
        }
    }

    /// <summary>The subvolume whose root is at <paramref name="path"/> (a filesystem's top level included), as <c>btrfs subvolume show</c> finds it.</summary>
    public ModelSubvolume ShowSubvolume(string path)
    {
        lock (Gate)
        {
            var at = Find(path);
            return at.Exists ? SubvolumeAt(at) : throw new ModelCommandException($"ERROR: cannot find real path for '{path}': {at.Errno}");
        }
    }

    /// <summary>
    /// <c>btrfs filesystem sync PATH</c>. Every change of the model commits at once, as if synced: nothing
    /// is pending, so no generation moves; it fails where btrfs-progs does.
    /// </summary>
    public void SyncFilesystem(string path)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (!at.Exists)
            {
                throw new ModelCommandException($"ERROR: Could not open: {at.Errno}");
            }

            if (!at.Filesystem.IsBtrfs)
            {
                throw new ModelCommandException("ERROR: Could not sync filesystem: Inappropriate ioctl for device");
            }
        }
    }

    /// <summary>
    /// <c>btrfs property set [-f] -ts PATH ro true|false</c>. Making a received subvolume writable needs
    /// <paramref name="force"/> and clears its Received UUID, so it is no longer taken for a backup.
    /// </summary>
    public void SetReadOnly(string path, bool readOnly, bool force = false)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (!at.Exists)
            {
                throw new ModelCommandException($"ERROR: cannot access '{path}': {at.Errno}");
            }

            var subvolume = SubvolumeAt(at);
            if (at.Filesystem.IsReadOnly)
            {
                throw new ModelCommandException($"ERROR: failed to set flags for {path}: {Errno.ReadOnly}");
            }

            if (!readOnly && subvolume.IsReadOnly && subvolume.ReceivedUuid is not null)
            {
                if (!force)
                {
                    throw new ModelCommandException("ERROR: cannot flip ro->rw with received_uuid set, use force if you really want that");
                }

                subvolume.ReceivedUuid = null;
            }

            // The flag lives in the root item: the subvolume's own generation does not move.
            subvolume.IsReadOnly = readOnly;
            at.Filesystem.Commit();
        }
    }

    private static ModelSubvolume SubvolumeAt(ModelLocation at)
    {
        if (!at.Filesystem.IsBtrfs)
        {
            throw new ModelCommandException($"ERROR: Not a Btrfs filesystem: {Errno.Invalid}");
        }

        return at.SubvolumeRoot ?? throw new ModelCommandException($"ERROR: Not a Btrfs subvolume: {Errno.Invalid}");
    }

    /// <summary>
    /// Why a change inside the directory at <paramref name="directory"/> is refused, or null: a read-only
    /// mount or subvolume (EROFS), or, for a change that <paramref name="allocates"/>, a full filesystem (ENOSPC).
    /// </summary>
    private static string? RefusesChange(ModelLocation directory, bool allocates = true) =>
        Refuses(directory.Filesystem, directory.SubvolumeInside, allocates);

    private static string? Refuses(ModelFilesystem filesystem, ModelSubvolume? subvolume, bool allocates) =>
        filesystem.IsReadOnly || subvolume?.IsReadOnly == true ? Errno.ReadOnly
        : allocates && filesystem.IsFull ? Errno.NoSpace
        : null;

    // The subvolume holding a directory whose entries changed moves to the new generation.
    private static void Touch(ModelLocation directory, long generation)
    {
        if (directory.SubvolumeInside is { } changed)
        {
            changed.Generation = generation;
        }
    }
}
