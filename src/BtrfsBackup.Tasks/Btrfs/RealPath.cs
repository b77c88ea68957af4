using System.Runtime.InteropServices;

namespace BtrfsBackup.Btrfs;

/// <summary>The canonical path (symlinks resolved), as btrfs and the mount table see it.</summary>
internal static partial class RealPath
{
    public static string Of(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            throw new BackupException($"Cannot resolve {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved)!;
        }
        finally
        {
            Marshal.FreeHGlobal(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);
}
