using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using BtrfsBackup.Linux;
using Microsoft.Win32.SafeHandles;

namespace BtrfsBackup.Locking;

/// <summary>
/// Locks as flock(2) on files in the runtime directory's root-only <c>locks</c> folder, one per key
/// (a snapshot_dir or target's real path). The kernel releases a lock when its process dies, however
/// it dies. A lock file is opened without following symlinks, must be a regular file of the tool's
/// user that no one else may write, and is written (the holder's pid) only once it is locked.
/// </summary>
public sealed class FileLocks(RuntimeDirectory runtime) : ILockService
{
    private static readonly Dictionary<string, (SafeFileHandle File, int Holders)> HeldHere = [];

    /// <summary>The file that locks <paramref name="key"/>: readable, and unique through a hash of the whole key.</summary>
    public string PathFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var readable = key.Trim('/').Replace('/', '-');
        return Path.Combine(runtime.Root, "locks", $"{(readable.Length > 100 ? readable[^100..] : readable)}-{hash}.lock");
    }

    public IDisposable Acquire(string key)
    {
        var path = PathFor(key);
        lock (HeldHere)
        {
            if (HeldHere.TryGetValue(path, out var held))
            {
                HeldHere[path] = (held.File, held.Holders + 1);
            }
            else
            {
                runtime.LocksFolder();
                HeldHere[path] = (Lock(path), 1);
            }

            return new Holding(path);
        }
    }

    private static SafeFileHandle Lock(string path)
    {
        var descriptor = NativeMethods.Open(
            path,
            NativeMethods.ReadWrite | NativeMethods.Create | NativeMethods.NoFollow | NativeMethods.CloseOnExec,
            Convert.ToUInt32("600", 8));
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new BackupException(error == NativeMethods.TooManyLinks
                ? $"the lock file {path} is a symlink; refusing to use it (remove it: only the tool makes files there)"
                : $"cannot open the lock file {path}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        var file = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            TrustedFiles.EnsureTrusted(path, FileStatus.OfDescriptor(descriptor, path), FileKind.RegularFile);
            if (TryLock(descriptor, file) is var error and not 0)
            {
                throw new BackupException(error == NativeMethods.WouldBlock
                    ? $"locked by another run (process {Holder(file)}), holding {path}; stopped before touching anything, run again when it has finished"
                    : $"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            // Locked and checked: only now is the file ours to rewrite.
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            RandomAccess.SetLength(file, 0);
            RandomAccess.Write(file, pid, 0);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    // A flock belongs to the open file, which a child forked by another thread of this process shares
    // until it execs: a lock this process has just let go can still look held by "this process" for
    // that instant. That, and only that, is waited out.
    // Returns 0 when locked, else the errno.
    private static int TryLock(int descriptor, SafeFileHandle file)
    {
        var ownPid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 0; ; attempt++)
        {
            if (NativeMethods.Flock(descriptor, NativeMethods.LockExclusive | NativeMethods.LockNonBlocking) == 0)
            {
                return 0;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != NativeMethods.WouldBlock || attempt == 100 || Holder(file) != ownPid)
            {
                return error;
            }

            Thread.Sleep(10);
        }
    }

    // The holder wrote its process id into the file once it had the lock.
    private static string Holder(SafeFileHandle file)
    {
        var buffer = new byte[32];
        var read = RandomAccess.Read(file, buffer, 0);
        var text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return int.TryParse(text, CultureInfo.InvariantCulture, out _) ? text : "unknown";
    }

    private sealed class Holding(string path) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            lock (HeldHere)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                var held = HeldHere[path];
                if (held.Holders > 1)
                {
                    HeldHere[path] = (held.File, held.Holders - 1);
                    return;
                }

                HeldHere.Remove(path);
                held.File.Dispose();
            }
        }
    }
}
