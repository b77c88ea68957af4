using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>
/// The libc calls .NET does not offer: FIFOs and splice(2) for the transfer, and open(2) without
/// following symlinks, flock(2) and statx(2) for the files the tool writes as root.
/// </summary>
internal static partial class NativeMethods
{
    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int ReadWrite = 0x2;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int Append = 0x400;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public const uint SpliceMove = 0x1;
    public const uint SpliceMore = 0x4;
    public const int SetPipeSize = 1031;
    public const int NoSuchFile = 2;
    public const int Interrupted = 4;
    public const int WouldBlock = 11;
    public const int AlreadyExists = 17;
    public const int BrokenPipe = 32;
    public const int TooManyLinks = 40;
    public const int InterruptSignal = 2;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int CurrentDirectory = -100;
    public const int SymlinkNoFollow = 0x100;
    public const int EmptyPath = 0x1000;
    public const uint StatxBasicStats = 0x7ff;

    // O_NOFOLLOW and O_DIRECTORY are the two flags whose values differ between x86_64 and arm64.
    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    public static int NoFollow => IsArm ? 0x8000 : 0x20000;

    public static int DirectoryOnly => IsArm ? 0x4000 : 0x10000;

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int descriptor, [Out] byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int descriptor, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static partial nint ReadAt(int descriptor, [Out] byte[] buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int ChangeMode(int descriptor, uint mode);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Signal(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Control(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "splice", SetLastError = true)]
    public static partial nint Splice(int input, IntPtr inputOffset, int output, IntPtr outputOffset, nuint length, uint flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int descriptor, int operation);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Sync(int descriptor);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint EffectiveUserId();
}
