using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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
internal sealed class FileLocks(RuntimeDirectory runtime) : ILockService
{
    private static readonly Dictionary<string, (SafeFileHandle File, int Holders)> HeldHere = [];

    /// <summary>The file that locks <paramref name="key"/>: readable, and unique through a hash of the whole key.</summary>
    public string PathFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = Convert.ToHexStringLower(Sha256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var readable = key.Trim('/').Replace('/', '-');
        return Path.Combine(runtime.Root, "locks", $"{(readable.Length > 100 ? readable[^100..] : readable)}-{hash}.lock");
    }

    public IDisposable Acquire(string key) => Acquire(key, LockWait.None);

    /// <summary>
    /// Waits, while another run holds the lock, up to <paramref name="wait"/>'s timeout, trying again
    /// every quarter of a second (flock(2) itself has no timeout). Runs of one process take their
    /// pairs one after the other, so holding <see cref="HeldHere"/> meanwhile stops nothing.
    /// </summary>
    public IDisposable Acquire(string key, LockWait wait)
    {
        ArgumentNullException.ThrowIfNull(wait);
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
                HeldHere[path] = (Lock(path, wait), 1);
            }

            return new Holding(path);
        }
    }

    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);

    private static SafeFileHandle Lock(string path, LockWait wait)
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
            var error = TryLock(descriptor, file);
            if (error == NativeMethods.WouldBlock && wait.Timeout > TimeSpan.Zero)
            {
                error = WaitFor(descriptor, file, path, wait);
                if (error == NativeMethods.WouldBlock && wait.Stop.IsCancellationRequested)
                {
                    // Ctrl-C or SIGTERM, not the timeout: the run is ending, and says so (its pairs' outcome is "interrupted").
                    throw new BackupException($"the run was stopped while waiting for the lock {path}, held by another run (process {Holder(file)}); nothing was touched");
                }
            }

            if (error != 0)
            {
                var waited = wait.Timeout > TimeSpan.Zero ? $", still after waiting {wait.Timeout.TotalSeconds:0} s (--lock-timeout)" : string.Empty;
                throw new BackupException(error == NativeMethods.WouldBlock
                    ? $"locked by another run (process {Holder(file)}), holding {path}{waited}; stopped before touching anything, run again when it has finished"
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

    // Tries again until the lock is free, the timeout has passed (a monotonic clock: a clock set back
    // during the wait must not stretch it) or the run is stopped. Returns 0 when locked, else the errno.
    private static int WaitFor(int descriptor, SafeFileHandle file, string path, LockWait wait)
    {
        wait.Waiting?.Invoke($"locked by another run (process {Holder(file)}), holding {path}: waiting up to {wait.Timeout.TotalSeconds:0} s for it (--lock-timeout)");
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var left = wait.Timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || wait.Stop.WaitHandle.WaitOne(left < RetryEvery ? left : RetryEvery))
            {
                return NativeMethods.WouldBlock;
            }

            if (TryLock(descriptor, file) is var error && error != NativeMethods.WouldBlock)
            {
                return error;
            }
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
