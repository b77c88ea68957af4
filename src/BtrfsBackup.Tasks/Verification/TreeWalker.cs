using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Verification;

/// <summary>
/// Reads a read-only subvolume's whole tree on this machine in one pass: every entry's metadata
/// (statx, never following a symlink), its extended attributes and, with <c>content</c>, an XxHash128
/// of each regular file's data, read while the walk is at that file. It stays inside the subvolume: a
/// nested subvolume (a placeholder directory in a snapshot) is listed apart, not entered. Reads only.
/// </summary>
/// <remarks>
/// Each entry is looked up by its name in its open directory, and a regular file is opened once for
/// its metadata, extended attributes, inode flags and data (no advisory lock, no atime update): about
/// six calls a file where a walk by whole paths and a read through .NET's file handles made ten. A
/// directory is opened relative to its parent, which stays open below it: no path is longer than a
/// name, so a tree deeper than PATH_MAX reads whole (one descriptor a level).
/// </remarks>
internal sealed class TreeWalker
{
    // The empty-subvolume placeholder a snapshot holds where the source had a nested subvolume, and a subvolume's root directory.
    private const ulong PlaceholderInode = 2;
    private const ulong SubvolumeRootInode = 256;
    // Small enough to stay in the CPU cache between the read and the hash: 1 MiB was three times slower here.
    private const int DataBufferSize = 128 << 10;
    private const int DirectoryBufferSize = 32 << 10;
    // XATTR_SIZE_MAX: no value is longer, so one call reads any value.
    private const int AttributeValueBufferSize = 64 << 10;
    private const int StatxSize = 256;
    // DT_REG in a getdents64 record.
    private const byte RegularFileType = 8;
    private const int OpenFlags = NativeMethods.ReadOnly | NativeMethods.NonBlocking | NativeMethods.CloseOnExec;

    private static readonly KeyValuePair<string, byte[]>[] NoAttributes = [];
    private static readonly int DirectoryOpenFlags = OpenFlags | NativeMethods.NoFollow | NativeMethods.DirectoryOnly;
    private static readonly int FileOpenFlags = OpenFlags | NativeMethods.NoFollow | TreeNativeMethods.NoAccessTime;

    private readonly string root;
    private readonly bool withContent;
    private readonly CancellationToken cancellation;
    private readonly Dictionary<string, TreeEntry> entries = new(StringComparer.Ordinal);
    private readonly List<string> nested = [];
    // The directories from the root to where the walk stands, each open: a child is opened relative to
    // its parent, so no path grows with the depth of the tree (a tree deeper than PATH_MAX reads too).
    private readonly Stack<OpenDirectory> open = new();
    private readonly byte[] statBuffer = new byte[StatxSize];
    private readonly byte[] directoryBuffer = new byte[DirectoryBufferSize];
    private readonly byte[] dataBuffer = GC.AllocateUninitializedArray<byte>(DataBufferSize);
    private readonly byte[] attributeValueBuffer = new byte[AttributeValueBufferSize];
    private readonly XxHash128 hash = new();
    private byte[] attributeNameBuffer = new byte[4096];
    private byte[] linkBuffer = new byte[4096];
    private bool noAccessTimeRefused;
    private (uint Major, uint Minor) rootDevice;

    // The empty name: with AT_EMPTY_PATH, the descriptor itself.
    private static ReadOnlySpan<byte> Itself => "\0"u8;

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
        var rootDescriptor = TreeNativeMethods.OpenAt(NativeMethods.CurrentDirectory, NulTerminated(Encoding.UTF8.GetBytes(root)), DirectoryOpenFlags);
        if (rootDescriptor < 0)
        {
            throw Failure("cannot read the directory", string.Empty);
        }

        try
        {
            Inspect(rootDescriptor, Itself, NativeMethods.EmptyPath, string.Empty);
            var rootEntry = Describe(string.Empty, out rootDevice);
            entries.Add(string.Empty, rootEntry);
            var descriptor = rootDescriptor;
            rootDescriptor = -1;
            Enter(rootEntry, descriptor);
            while (open.TryPeek(out var directory))
            {
                cancellation.ThrowIfCancellationRequested();
                if (directory.Next == directory.Subdirectories.Count)
                {
                    _ = open.Pop();
                    _ = TreeNativeMethods.Close(directory.Descriptor);
                    continue;
                }

                var (name, entry) = directory.Subdirectories[directory.Next];
                directory.Subdirectories[directory.Next++] = default;
                var child = TreeNativeMethods.OpenAt(directory.Descriptor, name, DirectoryOpenFlags);
                if (child < 0)
                {
                    throw Failure("cannot read the directory", entry.Path);
                }

                Enter(entry, child);
            }
        }
        finally
        {
            if (rootDescriptor >= 0)
            {
                _ = TreeNativeMethods.Close(rootDescriptor);
            }

            while (open.TryPop(out var left))
            {
                _ = TreeNativeMethods.Close(left.Descriptor);
            }
        }

        GroupHardLinks(entries.Values);
        return new Tree(root, entries, nested);
    }

    // Takes over the descriptor (closed when the walk leaves the directory, or fails): the directory's
    // own attributes and flags, then each child; child directories are entered after the listing.
    private void Enter(TreeEntry entry, int descriptor)
    {
        var directory = new OpenDirectory(entry, descriptor);
        open.Push(directory);
        entry.InodeFlags |= InodeFlagsOf(descriptor);
        entry.Attributes = ReadAttributes(descriptor, default, entry.Path);
        while (true)
        {
            var length = TreeNativeMethods.ReadDirectory(descriptor, directoryBuffer, (nuint)directoryBuffer.Length);
            if (length < 0)
            {
                throw Failure("cannot read the directory", entry.Path);
            }

            if (length == 0)
            {
                return;
            }

            // linux_dirent64: inode (8), offset (8), record length (2), type (1), NUL-terminated name.
            for (var position = 0; position < length;)
            {
                var record = directoryBuffer.AsSpan(position);
                var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(record[16..]);
                var type = record[18];
                var name = record[19..recordLength];
                name = name[..(name.IndexOf((byte)0) + 1)];
                position += recordLength;
                if (!name.SequenceEqual("\0"u8) && !name.SequenceEqual(".\0"u8) && !name.SequenceEqual("..\0"u8))
                {
                    cancellation.ThrowIfCancellationRequested();
                    ReadChild(directory, name, type);
                }
            }
        }
    }

    private void ReadChild(OpenDirectory directory, ReadOnlySpan<byte> name, byte type)
    {
        var decoded = ByteNames.Decode(name[..^1]);
        var relative = directory.Entry.Path.Length == 0 ? decoded : directory.Entry.Path + "/" + decoded;
        if (type == RegularFileType && withContent && ReadRegularFile(directory.Descriptor, name, relative))
        {
            return;
        }

        Inspect(directory.Descriptor, name, NativeMethods.SymlinkNoFollow, relative);
        var entry = Describe(relative, out var device);
        if (entry.Kind == FileKind.Directory && (device != rootDevice || entry.Inode is PlaceholderInode or SubvolumeRootInode))
        {
            nested.Add(relative);
            return;
        }

        Add(entry);
        switch (entry.Kind)
        {
            case FileKind.Directory:
                directory.Subdirectories.Add((name.ToArray(), entry));
                break;
            case FileKind.RegularFile when withContent:
                ReadFile(directory.Descriptor, name, entry);
                break;
            case FileKind.Symlink:
                entry.SymlinkTarget = ReadLink(directory.Descriptor, name, relative);
                entry.Attributes = ReadAttributes(-1, directory.PathOf(name), relative);
                break;
            default:
                entry.Attributes = ReadAttributes(-1, directory.PathOf(name), relative);
                break;
        }
    }

    private void Add(TreeEntry entry)
    {
        if (!entries.TryAdd(entry.Path, entry))
        {
            throw new BackupException($"cannot compare {Full(entry.Path)}: two names in its directory read alike (not valid UTF-8)");
        }
    }

    // A name getdents calls a regular file is opened first and inspected through its descriptor (one
    // lookup of the name, not two). False, having opened nothing that stays open, when it is not one after all.
    private bool ReadRegularFile(int directory, ReadOnlySpan<byte> name, string relative)
    {
        var descriptor = OpenFile(directory, name);
        if (descriptor < 0)
        {
            throw Failure("cannot read", relative);
        }

        try
        {
            Inspect(descriptor, Itself, NativeMethods.EmptyPath, relative);
            var entry = Describe(relative, out _);
            if (entry.Kind != FileKind.RegularFile)
            {
                return false;
            }

            Add(entry);
            ReadFileThrough(descriptor, entry);
            return true;
        }
        finally
        {
            _ = TreeNativeMethods.Close(descriptor);
        }
    }

    // Opened once: extended attributes, inode flags and data through the same descriptor.
    private void ReadFile(int directory, ReadOnlySpan<byte> name, TreeEntry entry)
    {
        var descriptor = OpenFile(directory, name);
        if (descriptor < 0)
        {
            throw Failure("cannot read", entry.Path);
        }

        try
        {
            ReadFileThrough(descriptor, entry);
        }
        finally
        {
            _ = TreeNativeMethods.Close(descriptor);
        }
    }

    private void ReadFileThrough(int descriptor, TreeEntry entry)
    {
        entry.InodeFlags |= InodeFlagsOf(descriptor);
        entry.Attributes = ReadAttributes(descriptor, default, entry.Path);
        if (entry.Size > DataBufferSize)
        {
            // As .NET's SequentialScan did; not for a file one read takes whole (a call saved on most files).
            _ = TreeNativeMethods.Advise(descriptor, 0, 0, TreeNativeMethods.AdviseSequential);
        }

        entry.Checksum = Checksum(descriptor, entry.Size, entry.Path);
    }

    // O_NOATIME is refused (EPERM) on a file of another owner to anyone but root; then without it.
    private int OpenFile(int directory, ReadOnlySpan<byte> name)
    {
        if (!noAccessTimeRefused)
        {
            var descriptor = TreeNativeMethods.OpenAt(directory, name, FileOpenFlags);
            if (descriptor >= 0 || Marshal.GetLastPInvokeError() != TreeNativeMethods.NotPermitted)
            {
                return descriptor;
            }

            noAccessTimeRefused = true;
        }

        return TreeNativeMethods.OpenAt(directory, name, FileOpenFlags & ~TreeNativeMethods.NoAccessTime);
    }

    // Reads to the end; a short read that reaches the size statx gave is the end (one call for a small file, as rsync does).
    private ContentChecksum Checksum(int descriptor, long size, string relative)
    {
        var buffer = dataBuffer.AsSpan();
        Span<byte> digest = stackalloc byte[ContentChecksum.Size];
        long offset = 0;
        while (true)
        {
            var read = TreeNativeMethods.Read(descriptor, buffer, (nuint)buffer.Length);
            if (read < 0)
            {
                if (Marshal.GetLastPInvokeError() == TreeNativeMethods.Interrupted)
                {
                    continue;
                }

                throw Failure("cannot read", relative);
            }

            if (offset == 0 && read < buffer.Length && read >= size)
            {
                _ = XxHash128.Hash(buffer[..(int)read], digest);
                return ContentChecksum.From(digest);
            }

            if (offset == 0)
            {
                hash.Reset();
            }

            hash.Append(buffer[..(int)read]);
            offset += read;
            if (read == 0 || (read < buffer.Length && offset >= size))
            {
                _ = hash.GetCurrentHash(digest);
                return ContentChecksum.From(digest);
            }
        }
    }

    private string ReadLink(int directory, ReadOnlySpan<byte> name, string relative)
    {
        while (true)
        {
            var length = TreeNativeMethods.ReadLinkAt(directory, name, linkBuffer, (nuint)linkBuffer.Length);
            if (length < 0)
            {
                throw Failure("cannot read the symlink", relative);
            }

            if (length < linkBuffer.Length)
            {
                return ByteNames.Decode(linkBuffer.AsSpan(0, (int)length));
            }

            linkBuffer = new byte[linkBuffer.Length * 4];
        }
    }

    // Through the open descriptor when there is one (descriptor >= 0), else by path without following a symlink.
    private IReadOnlyList<KeyValuePair<string, byte[]>> ReadAttributes(int descriptor, ReadOnlySpan<byte> path, string relative)
    {
        var length = ListAttributes(descriptor, path);
        while (length < 0 && Marshal.GetLastPInvokeError() == TreeNativeMethods.OutOfRange)
        {
            attributeNameBuffer = new byte[attributeNameBuffer.Length * 4];
            length = ListAttributes(descriptor, path);
        }

        if (length < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == TreeNativeMethods.NotSupported ? NoAttributes : throw Failure("cannot list the extended attributes of", relative, error);
        }

        if (length == 0)
        {
            return NoAttributes;
        }

        var attributes = new List<KeyValuePair<string, byte[]>>();
        var names = attributeNameBuffer.AsSpan(0, (int)length);
        while (names.Length > 0)
        {
            var end = names.IndexOf((byte)0);
            var name = names[..(end + 1)];
            names = names[(end + 1)..];
            if (name.Length > 1)
            {
                var text = ByteNames.Decode(name[..^1]);
                var size = descriptor >= 0
                    ? TreeNativeMethods.GetAttribute(descriptor, name, attributeValueBuffer, (nuint)attributeValueBuffer.Length)
                    : TreeNativeMethods.GetAttribute(path, name, attributeValueBuffer, (nuint)attributeValueBuffer.Length);
                if (size < 0)
                {
                    throw Failure($"cannot read the extended attribute {text} of", relative);
                }

                attributes.Add(new(text, attributeValueBuffer.AsSpan(0, (int)size).ToArray()));
            }
        }

        attributes.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));
        return attributes;
    }

    private nint ListAttributes(int descriptor, ReadOnlySpan<byte> path) => descriptor >= 0
        ? TreeNativeMethods.ListAttributes(descriptor, attributeNameBuffer, (nuint)attributeNameBuffer.Length)
        : TreeNativeMethods.ListAttributes(path, attributeNameBuffer, (nuint)attributeNameBuffer.Length);

    private void Inspect(int directory, ReadOnlySpan<byte> name, int flags, string relative)
    {
        if (TreeNativeMethods.Statx(directory, name, flags, NativeMethods.StatxBasicStats, statBuffer) != 0)
        {
            throw Failure("cannot inspect", relative);
        }
    }

    // From the statx buffer Inspect filled.
    private TreeEntry Describe(string relative, out (uint Major, uint Minor) device)
    {
        var buffer = statBuffer.AsSpan();
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer[28..]);
        var kind = FileKinds.OfMode(mode);
        device = (BinaryPrimitives.ReadUInt32LittleEndian(buffer[136..]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[140..]));
        return new TreeEntry
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
            Device = kind is FileKind.CharacterDevice or FileKind.BlockDevice
                ? $"{BinaryPrimitives.ReadUInt32LittleEndian(buffer[128..])}:{BinaryPrimitives.ReadUInt32LittleEndian(buffer[132..])}"
                : null,
            InodeFlags = (int)(BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]) & (InodeFlagNames.Immutable | InodeFlagNames.AppendOnly)),
        };
    }

    private string Full(string relative) => relative.Length == 0 ? root : root + "/" + relative;

    private static int InodeFlagsOf(int descriptor)
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

    private static byte[] NulTerminated(byte[] text)
    {
        var terminated = new byte[text.Length + 1];
        text.CopyTo(terminated, 0);
        return terminated;
    }

    // The error number first: nothing may call into libc between the failed call and this.
    private BackupException Failure(string what, string relative) => Failure(what, relative, Marshal.GetLastPInvokeError());

    private BackupException Failure(string what, string relative, int error) =>
        new($"{what} {Full(relative)}: {Marshal.GetPInvokeErrorMessage(error)}");
}

/// <summary>A directory the walk has open: its descriptor, and the child directories still to enter.</summary>
internal sealed class OpenDirectory(TreeEntry entry, int descriptor)
{
    private byte[]? procPrefix;

    public TreeEntry Entry { get; } = entry;

    public int Descriptor { get; } = descriptor;

    /// <summary>Each child directory's NUL-terminated name and entry, entered in this order after the listing.</summary>
    public List<(byte[] Name, TreeEntry Entry)> Subdirectories { get; } = [];

    /// <summary>How many of <see cref="Subdirectories"/> were entered.</summary>
    public int Next { get; set; }

    /// <summary>
    /// A short path to a child, for the calls that take no directory descriptor (llistxattr, lgetxattr on a
    /// symlink or a special file): through /proc/self/fd, whatever the depth. Its last name is not followed.
    /// </summary>
    public byte[] PathOf(ReadOnlySpan<byte> name)
    {
        procPrefix ??= Encoding.ASCII.GetBytes($"/proc/self/fd/{Descriptor}/");
        var path = new byte[procPrefix.Length + name.Length];
        procPrefix.CopyTo(path, 0);
        name.CopyTo(path.AsSpan(procPrefix.Length));
        return path;
    }
}

/// <summary>A subvolume's tree as <see cref="TreeWalker"/> read it.</summary>
internal sealed record Tree(string Root, IReadOnlyDictionary<string, TreeEntry> Entries, IReadOnlyList<string> NestedSubvolumes);
