using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Locking;

/// <summary>
/// An exclusive advisory lock (flock) on a file per pair, held for the whole of a run's work on that
/// pair. The kernel releases it when the process dies, however it dies. A second run on the same pair
/// stops at once, naming the lock file and the process that holds it; runs on other pairs go ahead.
/// Within one process the lock is shared (counted), so a script's aliases can run inside a run that holds it.
/// </summary>
public sealed class PairLock : IDisposable
{
    private static readonly Dictionary<string, (FileStream Stream, int Holders)> HeldHere = [];
    private bool disposed;

    private PairLock(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Where lock files live: /run/lock/btrfsbackup, or $BTRFSBACKUP_LOCK_DIR.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("BTRFSBACKUP_LOCK_DIR") is { Length: > 0 } configured
            ? configured
            : System.IO.Directory.Exists("/run/lock") ? "/run/lock/btrfsbackup" : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "btrfsbackup-locks");

    /// <summary>
    /// The lock file of a pair, keyed by its snapshot_dir (real path), which no two pairs share: two
    /// configurations, or a renamed pair, working on the same snapshots still exclude each other.
    /// </summary>
    public static string PathFor(BackupPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var snapshotDir = Btrfs.RealPath.AsFarAsItExists(pair.SnapshotDir);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshotDir)))[..12];
        var readable = snapshotDir.Trim('/').Replace('/', '-');
        return System.IO.Path.Combine(Directory, $"{(readable.Length > 100 ? readable[^100..] : readable)}-{key}.lock");
    }

    /// <exception cref="BackupException">Another process holds the lock.</exception>
    public static PairLock Acquire(BackupPair pair)
    {
        var path = PathFor(pair);
        lock (HeldHere)
        {
            if (HeldHere.TryGetValue(path, out var held))
            {
                HeldHere[path] = (held.Stream, held.Holders + 1);
                return new PairLock(path);
            }

            HeldHere[path] = (Lock(pair, path), 1);
            return new PairLock(path);
        }
    }

    public void Dispose()
    {
        lock (HeldHere)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            var held = HeldHere[Path];
            if (held.Holders > 1)
            {
                HeldHere[Path] = (held.Stream, held.Holders - 1);
                return;
            }

            HeldHere.Remove(Path);
            held.Stream.Dispose();
        }
    }

    private static FileStream Lock(BackupPair pair, string path)
    {
        System.IO.Directory.CreateDirectory(Directory);
        FileStream stream;
        try
        {
            // On Linux, .NET takes flock(LOCK_EX | LOCK_NB) for FileShare.None: exactly the lock we want.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var holder = Holder(path);
            if (holder is null)
            {
                throw new BackupException($"Pair '{pair.Name}': cannot take the lock {path}: {e.Message}", e);
            }

            throw new BackupException(
                $"Pair '{pair.Name}' is locked by another run (process {holder}), holding {path}. " +
                "Stopped before touching anything; run again when it has finished.");
        }

        stream.SetLength(0);
        stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        stream.Flush();
        return stream;
    }

    // The holder wrote its process id into the file; read it without asking for a lock of our own.
    // Null when there is no live process by that id (then the failure was something else).
    private static string? Holder(string path)
    {
        var descriptor = Btrfs.NativeMethods.Open(path, Btrfs.NativeMethods.ReadOnly | Btrfs.NativeMethods.CloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            var buffer = new byte[32];
            var read = Btrfs.NativeMethods.Read(descriptor, buffer, buffer.Length);
            var text = read > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)read).Trim() : string.Empty;
            return int.TryParse(text, CultureInfo.InvariantCulture, out var pid) && System.IO.Directory.Exists($"/proc/{pid}") ? text : null;
        }
        finally
        {
            Btrfs.NativeMethods.Close(descriptor);
        }
    }
}
