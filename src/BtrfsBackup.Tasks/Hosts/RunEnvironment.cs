using BtrfsBackup.Linux;
using BtrfsBackup.Locking;

namespace BtrfsBackup.Hosts;

/// <summary>
/// Everything a run asks of the world outside its own logic: the host its locations are on, the
/// transfer between hosts, the locks between runs, and the clock. The real ones act on this
/// machine; tests give an in-memory model of subvolumes and a fixed clock.
/// </summary>
public sealed class RunEnvironment
{
    public required IBtrfsHost Host { get; init; }

    public required ITransferRunner Transfers { get; init; }

    public required ILockService Locks { get; init; }

    /// <summary>Read once per pair; its local time zone names snapshots and reads names without offset.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>Where abandoned transfer folders are swept up at the start of a run; null when there is none (the model).</summary>
    public RuntimeDirectory? Runtime { get; init; }

    /// <summary>The same environment, reading its time from <paramref name="clock"/>.</summary>
    public RunEnvironment WithClock(TimeProvider clock) => new()
    {
        Host = Host,
        Transfers = Transfers,
        Locks = Locks,
        Clock = clock,
        Runtime = Runtime,
    };

    /// <summary>This machine, with the runtime directory from <c>$BTRFSBACKUP_RUNTIME_DIR</c> or <c>/run/btrfsbackup</c>.</summary>
    public static RunEnvironment ThisMachine(RuntimeDirectory? runtime = null)
    {
        runtime ??= RuntimeDirectory.FromEnvironment();
        return new RunEnvironment
        {
            Host = LocalBtrfsHost.Instance,
            Transfers = new LocalTransfer(runtime),
            Locks = new FileLocks(runtime),
            Clock = TimeProvider.System,
            Runtime = runtime,
        };
    }
}
