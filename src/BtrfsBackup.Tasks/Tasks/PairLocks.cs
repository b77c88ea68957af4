using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Locking;
using BtrfsBackup.Remote;

namespace BtrfsBackup.Tasks;

/// <summary>
/// The locks a run holds while it works on a pair: its snapshot_dir and its target, each by its real
/// path (and, on a remote machine, a lock there too), which no two pairs share; so two configurations, or a renamed pair, working on the same
/// directories still exclude each other.
/// </summary>
internal static class PairLocks
{
    /// <param name="environment">Where the locks are.</param>
    /// <param name="pair">The pair to lock.</param>
    /// <param name="wait">How long to wait for a local lock another run holds; at once when null. (A remote lock never waits.)</param>
    /// <exception cref="BackupException">Another run holds one of them (after the wait); nothing was touched.</exception>
    public static IReadOnlyList<IDisposable> Acquire(RunEnvironment environment, BackupPair pair, LockWait? wait = null)
    {
        wait ??= LockWait.None;
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(pair);
        var held = new List<IDisposable>();
        try
        {
            foreach (var (access, path) in new[] { (pair.SourceAccess, pair.SnapshotDir), (pair.TargetAccess, pair.Target) })
            {
                if (path is null)
                {
                    continue;
                }

                var host = environment.HostFor(access);
                PathState state;
                try
                {
                    state = host.InspectAsync(path, CancellationToken.None).GetAwaiter().GetResult();
                }
                catch (SshUnreachableException) when (path == pair.Target)
                {
                    // A target machine that is away is reported by the scan; there is nothing there to lock.
                    held.Add(environment.Locks.Acquire(access!.Endpoint + path, wait));
                    continue;
                }

                var real = state.RealPath ?? path;
                held.Add(environment.Locks.Acquire(access is null ? real : access.Endpoint + real, wait));
                // Also there: another machine's run of this pair (a second backup server) is excluded too. A
                // directory not made yet has nothing in it to protect (and its parent may be shared, or outside the filter's paths).
                if (host is SshBtrfsHost remote && state.IsDirectory)
                {
                    held.Add(new Held(remote.LockAsync(real, CancellationToken.None).GetAwaiter().GetResult()));
                }
            }
        }
        catch
        {
            held.ForEach(taken => taken.Dispose());
            throw;
        }

        return held;
    }

    private sealed class Held(IAsyncDisposable remoteLock) : IDisposable
    {
        public void Dispose() => remoteLock.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
