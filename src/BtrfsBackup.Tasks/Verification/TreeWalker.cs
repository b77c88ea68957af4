using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Verification;

/// <summary>
/// Reads a read-only subvolume's whole tree on this machine: every entry's metadata (statx, never
/// following a symlink), its extended attributes and, with <c>content</c>, an XxHash128 of each regular
/// file's data. It stays inside the subvolume: a nested subvolume (a placeholder directory in a snapshot)
/// is listed apart, not entered. Reads only.
/// </summary>
internal sealed class TreeWalker
{
    // The empty-subvolume placeholder a snapshot holds where the source had a nested subvolume, and a subvolume's root directory.
    private const ulong PlaceholderInode = 2;
    private const ulong SubvolumeRootInode = 256;
    // Small enough to stay in the CPU cache between the read and the hash: 1 MiB was three times slower here.
    private const int BufferSize = 128 << 10;
    private const int StatxSize = 256;
    private const int RegularAndDirectoryFlags = NativeMethods.ReadOnly | NativeMethods.NonBlocking | NativeMethods.CloseOnExec;

    private readonly string root;
    private readonly bool withContent;
    private readonly CancellationToken cancellation;
    private readonly byte[] statBuffer = new byte[StatxSize];
    private byte[] attributeBuffer = new byte[4096];

    private TreeWalker(string root, bool withContent, CancellationToken cancellation)
    {
        this.root = root;
        this.withContent = withContent;
        this.cancellation = cancellation;
    }

    /// <summary>The tree below <paramref name="root"/>, keyed by relative path.</summary>
    /// <exception cref="BackupException">An entry could not be read; the message names it.</exception>
    public static Tree Read(string root, bool withContent, CancellationToken cancellation) =>
        new TreeWalker(root, withContent, cancellation).Walk();

    private Tree Walk()
    {
        var entries = new Dictionary<string, TreeEntry>(StringComparer.Ordinal);
        var nested = new List<string>();
        var (rootEntry, rootDevice) = Inspect(root, string.Empty);
        entries.Add(string.Empty, rootEntry);
        var directories = new Stack<string>();
        directories.Push(string.Empty);
        while (directories.Count > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            var relative = directories.Pop();
            foreach (var child in Directory.EnumerateFileSystemEntries(Full(relative)))
            {
                var childRelative = relative.Length == 0 ? System.IO.Path.GetFileName(child) : relative + "/" + System.IO.Path.GetFileName(child);
                var (entry, device) = Inspect(child, childRelative);
                if (entry.Kind == FileKind.Directory && (device != rootDevice || entry.Inode is PlaceholderInode or SubvolumeRootInode))
                {
                    nested.Add(childRelative);
                    continue;
                }

                entries.Add(childRelative, entry);
                if (entry.Kind == FileKind.Directory)
                {
                    directories.Push(childRelative);
                }
            }
        }

        GroupHardLinks(entries.Values);
        if (withContent)
        {
            ReadContent(entries.Values);
        }

        return new Tree(root, entries, nested);
    }

    private string Full(string relative) => relative.Length == 0 ? root : System.IO.Path.Combine(root, relative);

    private (TreeEntry Entry, (uint, uint) Device) Inspect(string path, string relative)
    {
        if (NativeMethods.Statx(NativeMethods.CurrentDirectory, path, NativeMethods.SymlinkNoFollow, NativeMethods.StatxBasicStats, statBuffer) != 0)
        {
            throw new BackupException($"cannot inspect {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var buffer = statBuffer.AsSpan();
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        var kind = FileKinds.OfMode(mode);
        var rdev = (BinaryPrimitives.ReadUInt32LittleEndian(buffer[128..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[132..]));
        var entry = new TreeEntry
        {
            Path = relative,
            Kind = kind,
            Mode = mode & 0xfff,
            LinkCount = BinaryPrimitives.ReadUInt32LittleEndian(buffer[16..]),
            OwnerId = BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]),
            GroupId = BinaryPrimitives.ReadUInt32LittleEndian(buffer[24..]),
            Inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer[32..]),
            Size = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer[40..]),
            AllocatedBytes = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer[48..]) * 512,
            ModifiedNanoseconds = (BinaryPrimitives.ReadInt64LittleEndian(buffer[112..]) * 1_000_000_000L) + BinaryPrimitives.ReadUInt32LittleEndian(buffer[120..]),
            Device = kind is FileKind.CharacterDevice or FileKind.BlockDevice ? $"{rdev.Item1}:{rdev.Item2}" : null,
            SymlinkTarget = kind == FileKind.Symlink ? new FileInfo(path).LinkTarget : null,
            Attributes = ReadAttributes(path),
            InodeFlags = (int)(BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]) & (InodeFlagNames.Immutable | InodeFlagNames.AppendOnly)),
        };
        if (kind == FileKind.Directory)
        {
            entry.InodeFlags |= DirectoryFlags(path);
        }

        return (entry, (BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..])));
    }

    private List<KeyValuePair<string, byte[]>> ReadAttributes(string path)
    {
        var length = TreeNativeMethods.ListAttributes(path, attributeBuffer, (nuint)attributeBuffer.Length);
        while (length < 0 && Marshal.GetLastPInvokeError() == TreeNativeMethods.OutOfRange)
        {
            attributeBuffer = new byte[attributeBuffer.Length * 4];
            length = TreeNativeMethods.ListAttributes(path, attributeBuffer, (nuint)attributeBuffer.Length);
        }

        if (length < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == TreeNativeMethods.NotSupported ? [] : throw new BackupException($"cannot list the extended attributes of {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        if (length == 0)
        {
            return [];
        }

        var names = Encoding.UTF8.GetString(attributeBuffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var attributes = new List<KeyValuePair<string, byte[]>>(names.Length);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            attributes.Add(new(name, ReadAttribute(path, name)));
        }

        return attributes;
    }

    private static byte[] ReadAttribute(string path, string name)
    {
        var encodedName = Encoding.UTF8.GetBytes(name + "\0");
        var size = TreeNativeMethods.GetAttribute(path, encodedName, null, 0);
        if (size < 0)
        {
            throw new BackupException($"cannot read the extended attribute {name} of {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var value = new byte[size];
        var read = size == 0 ? 0 : TreeNativeMethods.GetAttribute(path, encodedName, value, (nuint)value.Length);
        return read < 0
            ? throw new BackupException($"cannot read the extended attribute {name} of {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}")
            : value.AsSpan(0, (int)read).ToArray();
    }

    private static int DirectoryFlags(string path)
    {
        var descriptor = NativeMethods.Open(path, RegularAndDirectoryFlags | NativeMethods.NoFollow | NativeMethods.DirectoryOnly);
        if (descriptor < 0)
        {
            return 0;
        }

        try
        {
            return InodeFlagsOf(descriptor);
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    private static int InodeFlagsOf(nint descriptor)
    {
        var flags = 0;
        return TreeNativeMethods.Control(descriptor, TreeNativeMethods.GetInodeFlags, ref flags) == 0 ? flags & InodeFlagNames.Reported : 0;
    }

    private static void GroupHardLinks(IEnumerable<TreeEntry> entries)
    {
        foreach (var group in entries.Where(entry => entry.LinkCount > 1 && entry.Kind != FileKind.Directory).GroupBy(entry => entry.Inode))
        {
            var first = group.Select(entry => entry.Path).Min(StringComparer.Ordinal);
            foreach (var entry in group)
            {
                entry.LinkGroup = first;
            }
        }
    }

    // One file after the other: the other side is read at the same time by its own walker.
    private void ReadContent(IEnumerable<TreeEntry> entries)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferSize);
        var hash = new XxHash128();
        foreach (var entry in entries.Where(entry => entry.Kind == FileKind.RegularFile))
        {
            cancellation.ThrowIfCancellationRequested();
            var path = Full(entry.Path);
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
                entry.InodeFlags |= InodeFlagsOf(handle.DangerousGetHandle());
                hash.Reset();
                long offset = 0;
                int read;
                while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
                {
                    hash.Append(buffer.AsSpan(0, read));
                    offset += read;
                }

                entry.Checksum = hash.GetCurrentHashAsUInt128();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BackupException($"cannot read {path}: {e.Message}", e);
            }
        }
    }
}

/// <summary>A subvolume's tree as <see cref="TreeWalker"/> read it.</summary>
internal sealed record Tree(string Root, IReadOnlyDictionary<string, TreeEntry> Entries, IReadOnlyList<string> NestedSubvolumes);
