using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>What kind of file stands at a path, who owns it and its permission bits, from statx(2), whose layout is the same on every architecture.</summary>
internal sealed record FileStatus(FileKind Kind, uint OwnerId, uint GroupId, UnixFileMode Permissions)
{
    private const int BufferSize = 256;

    public bool IsWritableByGroupOrOthers => (Permissions & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>"owned by uid 1000, mode 0664", for messages.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"owned by uid {OwnerId}, mode {Convert.ToString((int)Permissions, 8).PadLeft(4, '0')}");

    /// <summary>The entry at <paramref name="path"/> itself (a symlink is reported as one); null when nothing is there.</summary>
    public static FileStatus? OfEntry(string path) => Query(NativeMethods.CurrentDirectory, path, NativeMethods.SymlinkNoFollow, path);

    /// <summary>What an open descriptor refers to.</summary>
    public static FileStatus OfDescriptor(int descriptor, string pathForMessages) =>
        Query(descriptor, string.Empty, NativeMethods.EmptyPath, pathForMessages)
        ?? throw new BackupException($"{pathForMessages} vanished while it was open");

    private static FileStatus? Query(int directory, string path, int flags, string pathForMessages)
    {
        var buffer = new byte[BufferSize];
        if (NativeMethods.Statx(directory, path, flags, NativeMethods.StatxBasicStats, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == NativeMethods.NoSuchFile
                ? null
                : throw new BackupException($"cannot inspect {pathForMessages}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        var mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        return new FileStatus(
            FileKinds.OfMode(mode),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(20)),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(24)),
            (UnixFileMode)(mode & 0xfff));
    }
}

/// <summary>The type of a file, as stat(2) tells it.</summary>
public enum FileKind
{
    /// <summary>A regular file.</summary>
    RegularFile,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link.</summary>
    Symlink,

    /// <summary>A named pipe.</summary>
    Fifo,

    /// <summary>A character device.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A Unix socket.</summary>
    Socket,

    /// <summary>A type stat(2) reports that none of the others is.</summary>
    Unknown,
}

internal static class FileKinds
{
    /// <summary>The kind a stat mode's file-type bits (S_IFMT) name.</summary>
    public static FileKind OfMode(ushort mode) => (mode & 0xf000) switch
    {
        0x8000 => FileKind.RegularFile,
        0x4000 => FileKind.Directory,
        0xa000 => FileKind.Symlink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xc000 => FileKind.Socket,
        _ => FileKind.Unknown,
    };

    /// <summary>"a FIFO", "a directory": how a message names a kind of file.</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.Symlink => "a symlink",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a special file",
    };
}
