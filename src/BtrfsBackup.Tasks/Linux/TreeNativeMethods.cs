using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>
/// The libc calls verify's tree walk makes. Names and paths are NUL-terminated UTF-8 bytes (as
/// getdents64 gives them), looked up relative to an open directory where the call allows it: one
/// short lookup per call instead of a whole path, and no string conversion on the way.
/// </summary>
internal static partial class TreeNativeMethods
{
    public const int Interrupted = 4;
    public const int NotPermitted = 1;
    public const int OutOfRange = 34;
    public const int NotSupported = 95;

    // O_NOATIME is the same on x86_64 and arm64: reading a file leaves its atime alone (the owner or root only).
    public const int NoAccessTime = 0x40000;

    // POSIX_FADV_SEQUENTIAL: a larger readahead window for a file read from start to end.
    public const int AdviseSequential = 2;

    // FS_IOC_GETFLAGS = _IOR('f', 1, long) on 64-bit Linux.
    public const nuint GetInodeFlags = 0x80086601;

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int directory, ReadOnlySpan<byte> name, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int directory, ReadOnlySpan<byte> name, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint ReadDirectory(int directory, Span<byte> buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int descriptor, Span<byte> buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    public static partial int Advise(int descriptor, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    public static partial nint ReadLinkAt(int directory, ReadOnlySpan<byte> name, Span<byte> buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    public static partial nint ListAttributes(int descriptor, Span<byte> names, nuint size);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true)]
    public static partial nint ListAttributes(ReadOnlySpan<byte> path, Span<byte> names, nuint size);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true)]
    public static partial nint GetAttribute(int descriptor, ReadOnlySpan<byte> name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint GetAttribute(ReadOnlySpan<byte> path, ReadOnlySpan<byte> name, Span<byte> value, nuint size);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Control(int descriptor, nuint request, ref int argument);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}
