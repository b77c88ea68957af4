namespace BtrfsBackup.Locking;

/// <summary>Exclusive locks between runs, so that two runs never work on the same snapshots or target at once.</summary>
internal interface ILockService
{
    /// <summary>
    /// Takes the lock named by <paramref name="key"/> (a real path: a snapshot_dir or a target),
    /// held until disposed. Within one process it is shared, so an alias can run inside a run that holds it.
    /// </summary>
    /// <exception cref="BackupException">Another run holds it; the message names the lock file and the holder.</exception>
    IDisposable Acquire(string key);

    /// <summary>As <see cref="Acquire(string)"/>, waiting up to <paramref name="wait"/>'s timeout while another run holds it.</summary>
    /// <exception cref="BackupException">Another run still holds it after the wait (or the wait was stopped).</exception>
    IDisposable Acquire(string key, LockWait wait) => Acquire(key);
}
