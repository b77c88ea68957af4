using System.Runtime.InteropServices;

namespace BtrfsBackup.Btrfs;

/// <summary>The few libc calls the transfer needs: FIFOs, and splice(2) to move the stream between them inside the kernel.</summary>
internal static partial class NativeMethods
{
    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const uint SpliceMove = 0x1;
    public const uint SpliceMore = 0x4;
    public const int SetPipeSize = 1031;
    public const int Interrupted = 4;
    public const int BrokenPipe = 32;

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int descriptor, [Out] byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Control(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int input, IntPtr inputOffset, int output, IntPtr outputOffset, nuint length, uint flags);
}
