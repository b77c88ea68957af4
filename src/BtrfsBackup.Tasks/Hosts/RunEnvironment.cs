using BtrfsBackup.Configuration;
using BtrfsBackup.Linux;
using BtrfsBackup.Locking;
using BtrfsBackup.Remote;

namespace BtrfsBackup.Hosts;

/// <summary>
/// Everything a run asks of the world outside its own logic: the host its locations are on, the
/// transfer between hosts, the locks between runs, and the clock. The real ones act on this
/// machine; tests give an in-memory model of subvolumes and a fixed clock.
/// </summary>
internal sealed class RunEnvironment
{
    public required IBtrfsHost Host { get; init; }

    public required ITransferRunner Transfers { get; init; }

    public required ILockService Locks { get; init; }

    /// <summary>Read once per pair; its local time zone names snapshots and reads names without offset.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>Where abandoned transfer folders are swept up at the start of a run; null when there is none (the model).</summary>
    public RuntimeDirectory? Runtime { get; init; }

    /// <summary>The machines reached over ssh, one shared connection each; null where there are none (the model).</summary>
    public RemoteHosts? Remote { get; init; }

    /// <summary>The run's subvolume listings, one per filesystem, shared by the pairs on it until something changes.</summary>
    public Scanning.SubvolumeListings Listings { get; init; } = new();

    /// <summary>The host a location is on: this one, or the remote machine <paramref name="access"/> reaches.</summary>
    /// <exception cref="BackupException">A remote location where this environment has no way to reach one.</exception>
    public IBtrfsHost HostFor(SshAccess? access) =>
        access is null ? Host
        : Remote is { } remote ? remote.For(access)
        : throw new BackupException($"{access.Endpoint} is a remote location, and this run has no ssh");

    /// <summary>The same environment, reading its time from <paramref name="clock"/>.</summary>
    public RunEnvironment WithClock(TimeProvider clock) => new()
    {
        Host = Host,
        Transfers = Transfers,
        Locks = Locks,
        Clock = clock,
        Runtime = Runtime,
        Remote = Remote,
        Listings = Listings,
    };

    /// <summary>This machine, with the runtime directory from <c>$BTRFSBACKUP_RUNTIME_DIR</c> or <c>/run/btrfsbackup</c>.</summary>
    public static RunEnvironment ThisMachine(RuntimeDirectory? runtime = null)
    {
        runtime ??= RuntimeDirectory.FromEnvironment();
        return new RunEnvironment
        {
            Host = LocalBtrfsHost.Instance,
            Transfers = new Transfers(new LocalTransfer(runtime), runtime),
            Locks = new FileLocks(runtime),
            Clock = TimeProvider.System,
            Runtime = runtime,
            Remote = new RemoteHosts(runtime),
        };
    }
}
