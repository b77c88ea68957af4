using BtrfsBackup.Linux;
using BtrfsBackup.Locking;

namespace BtrfsBackup.Tests.Model;

/// <summary>The locks held on one model machine, by key, shared by the "processes" (<see cref="ModelLocks"/>) running there.</summary>
internal sealed class ModelLockTable
{
    private readonly Dictionary<string, (ModelLocks Holder, int Count)> held = new(StringComparer.Ordinal);

    /// <summary>The keys held now: what a test checks is released after a run.</summary>
    public IReadOnlyList<string> Held
    {
        get
        {
            lock (held)
            {
                return [.. held.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    internal IDisposable Acquire(ModelLocks process, string key)
    {
        lock (held)
        {
            if (held.TryGetValue(key, out var current))
            {
                if (current.Holder != process)
                {
                    throw new BackupException(
                        $"locked by another run (process {current.Holder.ProcessId}), holding {ModelLocks.LockFile(key)}; " +
                        "stopped before touching anything, run again when it has finished");
                }

                held[key] = (process, current.Count + 1);
            }
            else
            {
                held[key] = (process, 1);
            }

            return new Holding(this, key);
        }
    }

    private void Release(string key)
    {
        lock (held)
        {
            var current = held[key];
            if (current.Count > 1)
            {
                held[key] = (current.Holder, current.Count - 1);
            }
            else
            {
                held.Remove(key);
            }
        }
    }

    private sealed class Holding(ModelLockTable table, string key) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (!disposed)
            {
                disposed = true;
                table.Release(key);
            }
        }
    }
}

/// <summary>
/// One process's locks on a model machine, as <see cref="FileLocks"/> gives them: shared within the
/// process (an alias inside a run that holds the lock takes it again), exclusive between processes,
/// and refused with the same message, naming the lock file the real one would use.
/// </summary>
internal sealed class ModelLocks(ModelLockTable table, int processId) : ILockService
{
    private static readonly FileLocks RealNames = new(new RuntimeDirectory(RuntimeDirectory.DefaultRoot));

    public int ProcessId { get; } = processId;

    public IDisposable Acquire(string key) => table.Acquire(this, key);

    /// <summary>The file the real locks would hold for <paramref name="key"/> (only its name: nothing is made).</summary>
    public static string LockFile(string key) => RealNames.PathFor(key);
}
