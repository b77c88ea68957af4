using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>The libc calls verify's tree walk needs beyond statx: extended attributes without following symlinks, and inode flags.</summary>
internal static partial class TreeNativeMethods
{
    public const int OutOfRange = 34;
    public const int NotSupported = 95;
    public const int NoData = 61;

    // FS_IOC_GETFLAGS = _IOR('f', 1, long) on 64-bit Linux.
    public const nuint GetInodeFlags = 0x80086601;

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ListAttributes(string path, [Out] byte[]? names, nuint size);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetAttribute(string path, byte[] name, [Out] byte[]? value, nuint size);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Control(nint descriptor, nuint request, ref int argument);
}
