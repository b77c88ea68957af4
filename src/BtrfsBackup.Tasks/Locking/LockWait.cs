namespace BtrfsBackup.Locking;

/// <summary>
/// How long a run waits for a lock another run holds before it gives up on that pair
/// (<c>--lock-timeout=SECONDS</c>): <see cref="TimeSpan.Zero"/> fails at once.
/// </summary>
/// <param name="Timeout">The longest wait.</param>
/// <param name="Waiting">Told once, when the run starts to wait, what it waits for.</param>
/// <param name="Stop">Ends the wait early (Ctrl-C, SIGTERM): the lock is then not taken, and the failure says the run was stopped, not that the wait ran out.</param>
internal sealed record LockWait(TimeSpan Timeout, Action<string>? Waiting = null, CancellationToken Stop = default)
{
    /// <summary>The command line's default: long enough for the timer's run to outwait a manual run or a slow night, short enough to still end.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(300);

    /// <summary>Fail at once when another run holds the lock.</summary>
    public static LockWait None { get; } = new(TimeSpan.Zero);
}
