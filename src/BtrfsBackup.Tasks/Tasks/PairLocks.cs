using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;

namespace BtrfsBackup.Tasks;

/// <summary>
/// The locks a run holds while it works on a pair: its snapshot_dir and its target, each by its real
/// path, which no two pairs share; so two configurations, or a renamed pair, working on the same
/// directories still exclude each other.
/// </summary>
public static class PairLocks
{
    /// <exception cref="BackupException">Another run holds one of them; nothing was touched.</exception>
    public static IReadOnlyList<IDisposable> Acquire(RunEnvironment environment, BackupPair pair)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(pair);
        var held = new List<IDisposable>();
        try
        {
            foreach (var path in new[] { pair.SnapshotDir, pair.Target }.OfType<string>())
            {
                var real = environment.Host.InspectAsync(path, CancellationToken.None).GetAwaiter().GetResult().RealPath ?? path;
                held.Add(environment.Locks.Acquire(real));
            }
        }
        catch
        {
            held.ForEach(taken => taken.Dispose());
            throw;
        }

        return held;
    }
}
