using System.Security.Cryptography;
using System.Text;

namespace BtrfsBackup.Tests.Model;

/// <summary>
/// One machine, in memory: its filesystems and the mount table that joins them into one tree of
/// paths. A path belongs to the mounted filesystem with the longest mount point that is a prefix of
/// it; an unmounted filesystem's mount point is again the plain directory of the filesystem underneath
/// (what is left when the backup disk is unplugged). Every operation takes <see cref="Gate"/>, so runs
/// on other threads see each change whole.
/// </summary>
internal sealed partial class BtrfsModel
{
    private const int MaxSymlinks = 40;
    private readonly List<ModelFilesystem> filesystems = [];

    /// <param name="rootType">The type of the filesystem at "/": not btrfs by default, as under a test's temporary folder.</param>
    public BtrfsModel(string rootType = "ext4")
    {
        RootFilesystem = new ModelFilesystem("root", rootType) { MountPoint = "/" };
        filesystems.Add(RootFilesystem);
    }

    public object Gate { get; } = new();

    public ModelFilesystem RootFilesystem { get; }

    public ModelFaults Faults { get; } = new();

    public IReadOnlyList<ModelFilesystem> Filesystems => filesystems;

    /// <summary>A new filesystem, mounted at <paramref name="mountPoint"/> (which must be a directory).</summary>
    public ModelFilesystem AddFilesystem(string label, string mountPoint, string type = ModelFilesystem.Btrfs)
    {
        var filesystem = new ModelFilesystem(label, type);
        lock (Gate)
        {
            filesystems.Add(filesystem);
            Mount(filesystem, mountPoint);
        }

        return filesystem;
    }

    public void Mount(ModelFilesystem filesystem, string mountPoint)
    {
        lock (Gate)
        {
            if (filesystem.MountPoint is not null)
            {
                throw new InvalidOperationException($"{filesystem} is already mounted");
            }

            var at = Find(mountPoint);
            if (at.Entry is not ModelDirectory)
            {
                throw new ModelIOException(at.Exists ? Errno.NotDirectory : Errno.NoEntry, mountPoint);
            }

            filesystem.MountPoint = at.Path;
        }
    }

    /// <summary>Unmounts it: paths below its mount point lead into the filesystem underneath again.</summary>
    public void Unmount(ModelFilesystem filesystem)
    {
        lock (Gate)
        {
            if (filesystem == RootFilesystem || filesystem.MountPoint is not { } mountPoint)
            {
                throw new InvalidOperationException($"{filesystem} cannot be unmounted");
            }

            if (filesystems.Any(other => other != filesystem && other.MountPoint is { } inner && IsBelow(inner, mountPoint)))
            {
                throw new ModelIOException(Errno.Busy, mountPoint);
            }

            filesystem.MountPoint = null;
        }
    }

    /// <summary>Everything on every filesystem, in a fixed order: equal before and after exactly when nothing changed.</summary>
    public string Describe()
    {
        lock (Gate)
        {
            var text = new StringBuilder();
            foreach (var filesystem in filesystems)
            {
                text.AppendLine($"{filesystem} generation {filesystem.Generation} ro={filesystem.IsReadOnly} full={filesystem.IsFull}");
                DescribeTree(text, filesystem.Root, "/");
            }

            return text.ToString();
        }
    }

    private static void DescribeTree(StringBuilder text, ModelDirectory directory, string path)
    {
        if (directory.Subvolume is { } subvolume)
        {
            text.AppendLine($"  {path} subvolume {subvolume.Id} {subvolume.Uuid} parent={subvolume.ParentUuid} received={subvolume.ReceivedUuid} " +
                $"ro={subvolume.IsReadOnly} gen={subvolume.Generation} cgen={subvolume.CreationGeneration}");
        }

        foreach (var (name, child) in directory.Children)
        {
            var childPath = path == "/" ? $"/{name}" : $"{path}/{name}";
            switch (child)
            {
                case ModelDirectory inner:
                    text.AppendLine($"  {childPath}/");
                    DescribeTree(text, inner, childPath);
                    break;
                case ModelFile file:
                    text.AppendLine($"  {childPath} {Convert.ToHexString(SHA256.HashData(file.Content))}");
                    break;
                case ModelSymlink link:
                    text.AppendLine($"  {childPath} -> {link.Target}");
                    break;
            }
        }
    }
}
