using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>The canonical path (symlinks resolved), as btrfs and the mount table see it.</summary>
internal static partial class RealPath
{
    public static string Of(string path) =>
        TryOf(path) ?? throw new BackupException($"Cannot resolve {path}: {Marshal.GetLastPInvokeErrorMessage()}");

    /// <summary>Null when the path, or what a symlink on the way points at, does not exist.</summary>
    public static string? TryOf(string path)
    {
        var resolved = NativeRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
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

    /// <summary>The canonical form of a path that may not exist yet: its longest existing part resolved, the rest appended.</summary>
    public static string AsFarAsItExists(string path)
    {
        var existing = path;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        var real = Of(existing);
        return existing == path ? real : Path.Combine(real, Path.GetRelativePath(existing, path));
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NativeRealPath(string path, IntPtr resolved);
}
