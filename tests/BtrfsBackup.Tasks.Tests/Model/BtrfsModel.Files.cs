using System.Text;

namespace BtrfsBackup.Tests.Model;

/// <summary>
/// Plain file operations (mkdir -p, writing, appending and removing files, symlinks) and reading the
/// tree back. They fail with <see cref="ModelIOException"/> where the kernel would refuse: a read-only
/// mount or subvolume, a full filesystem, a missing directory.
/// </summary>
internal sealed partial class BtrfsModel
{
    /// <summary>Makes a directory and any missing parents, as <see cref="Directory.CreateDirectory(string)"/> does.</summary>
    public void CreateDirectory(string path)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (at.Entry is ModelDirectory)
            {
                return;
            }

            if (at.Exists)
            {
                throw new ModelIOException(Errno.Exists, path);
            }

            if (at.Error != PathError.None || at.Parent is null)
            {
                if (at.Error != PathError.NoEntry || path == "/")
                {
                    throw new ModelIOException(at.Errno, path);
                }

                CreateDirectory(ParentOf(path));
                at = Find(path);
            }

            var into = Find(ParentOf(at.Path));
            if (RefusesChange(into) is { } refused)
            {
                throw new ModelIOException(refused, path);
            }

            at.Parent!.Children[at.Name] = new ModelDirectory();
            into.Filesystem.Commit(into.SubvolumeInside);
        }
    }

    public void WriteFile(string path, string content) => WriteFile(path, Encoding.UTF8.GetBytes(content));

    /// <summary>Creates or replaces a regular file (following a symlink at <paramref name="path"/>, as open(2) does).</summary>
    public void WriteFile(string path, byte[] content) => ChangeFile(path, _ => content);

    public void AppendFile(string path, string content) =>
        ChangeFile(path, old => [.. old ?? [], .. Encoding.UTF8.GetBytes(content)]);

    /// <summary>Removes a file or symlink (never a directory), as unlink(2) does.</summary>
    public void DeleteFile(string path)
    {
        lock (Gate)
        {
            var at = Find(path, followLast: false);
            if (!at.Exists)
            {
                throw new ModelIOException(at.Errno, path);
            }

            if (at.Entry is ModelDirectory)
            {
                throw new ModelIOException("Is a directory", path);
            }

            var into = Find(ParentOf(at.Path));
            if (RefusesChange(into, allocates: false) is { } refused)
            {
                throw new ModelIOException(refused, path);
            }

            at.Parent!.Children.Remove(at.Name);
            into.Filesystem.Commit(into.SubvolumeInside);
        }
    }

    public void CreateSymlink(string path, string target)
    {
        lock (Gate)
        {
            var at = Find(path, followLast: false);
            if (at.Exists || at.Error != PathError.None)
            {
                throw new ModelIOException(at.Exists ? Errno.Exists : at.Errno, path);
            }

            var into = Find(ParentOf(at.Path));
            if (RefusesChange(into) is { } refused)
            {
                throw new ModelIOException(refused, path);
            }

            at.Parent!.Children[at.Name] = new ModelSymlink(target);
            into.Filesystem.Commit(into.SubvolumeInside);
        }
    }

    /// <summary>A regular file's bytes, or null when there is none at <paramref name="path"/>.</summary>
    public byte[]? ReadFile(string path)
    {
        lock (Gate)
        {
            return Find(path).Entry is ModelFile file ? file.Content : null;
        }
    }

    /// <summary>Every file below the directory at <paramref name="path"/>, by relative path (empty when it is not a directory).</summary>
    public SortedDictionary<string, byte[]> Files(string path)
    {
        lock (Gate)
        {
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            if (Find(path).Entry is ModelDirectory directory)
            {
                foreach (var (relative, file) in directory.Files())
                {
                    files[relative] = file.Content;
                }
            }

            return files;
        }
    }

    /// <summary>The names in the directory at <paramref name="path"/>, sorted (none when it is not a directory).</summary>
    public IReadOnlyList<string> Names(string path)
    {
        lock (Gate)
        {
            return Find(path).Entry is ModelDirectory directory ? [.. directory.Children.Keys] : [];
        }
    }

    private void ChangeFile(string path, Func<byte[]?, byte[]> change)
    {
        lock (Gate)
        {
            var at = Find(path);
            if (at.Error != PathError.None || at.Parent is null)
            {
                throw new ModelIOException(at.Errno, path);
            }

            if (at.Entry is ModelDirectory)
            {
                throw new ModelIOException("Is a directory", path);
            }

            var into = Find(ParentOf(at.Path));
            if (RefusesChange(into) is { } refused)
            {
                throw new ModelIOException(refused, path);
            }

            at.Parent.Children[at.Name] = new ModelFile(change((at.Entry as ModelFile)?.Content));
            into.Filesystem.Commit(into.SubvolumeInside);
        }
    }
}
