namespace BtrfsBackup.Tests.Model;

/// <summary>
/// Faults a test arms on a machine, each taken by the next transfer that receives there. (A full or
/// read-only filesystem is a property of the filesystem: <see cref="ModelFilesystem.IsFull"/>,
/// <see cref="ModelFilesystem.IsReadOnly"/>.)
/// </summary>
internal sealed class ModelFaults
{
    private readonly Queue<Fault> armed = new();

    /// <summary>How many armed faults no transfer has taken yet.</summary>
    public int Pending
    {
        get
        {
            lock (armed)
            {
                return armed.Count;
            }
        }
    }

    /// <summary>
    /// The next receive dies once it has created its subvolume, as a killed <c>btrfs receive</c> does:
    /// the subvolume stays, writable and without a Received UUID, and the transfer fails.
    /// </summary>
    public void KillNextReceive() => Arm(new Fault(null));

    /// <summary>
    /// The next transfer is interrupted once its receive has created its subvolume: <paramref name="interrupt"/>
    /// is called (it should cancel the run, as Ctrl-C does, e.g. <c>run.Interruption.Interrupt("SIGINT")</c>)
    /// and the transfer then stops as a cancelled one does.
    /// </summary>
    public void InterruptNextTransfer(Action interrupt) => Arm(new Fault(interrupt));

    /// <summary>The fault the next receive must suffer, if any.</summary>
    internal Fault? Take()
    {
        lock (armed)
        {
            return armed.TryDequeue(out var fault) ? fault : null;
        }
    }

    private void Arm(Fault fault)
    {
        lock (armed)
        {
            armed.Enqueue(fault);
        }
    }

    /// <summary>A receive that dies (<see cref="Interrupt"/> null) or is interrupted.</summary>
    internal sealed record Fault(Action? Interrupt);
}
