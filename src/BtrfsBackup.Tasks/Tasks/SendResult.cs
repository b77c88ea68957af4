using BtrfsBackup.Hosts;
using BtrfsBackup.Planning;

namespace BtrfsBackup.Tasks;

/// <summary>A finished send (or, in a dry run, a planned one with no transfer).</summary>
public sealed record SendResult(PlannedSend Send, TransferResult? Transfer)
{
    /// <summary>"NAME (incremental from PARENT): 12.0 MiB in 0.4 s, 31.5 MiB/s", or without figures for a planned send.</summary>
    public override string ToString() =>
        Transfer is null
            ? $"{Send.Snapshot.Name} ({Send.Kind})"
            : $"{Send.Snapshot.Name} ({Send.Kind}): {Logging.ByteSize.Transferred(Transfer.Bytes, Transfer.Elapsed)}";
}
