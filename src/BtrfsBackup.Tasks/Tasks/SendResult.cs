using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Reporting;

namespace BtrfsBackup.Tasks;

/// <summary>A finished send (or, in a dry run, a planned one with no transfer).</summary>
public sealed record SendResult(PlannedSend Send, TransferResult? Transfer)
{
    public override string ToString() =>
        Transfer is null
            ? $"would send {Send.Snapshot.Name} ({Send.Kind})"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"sent {Send.Snapshot.Name} ({Send.Kind}): {ByteSize.Format(Transfer.Bytes)} in {Transfer.Elapsed.TotalSeconds:0.0} s, {ByteSize.Rate(Transfer.MegabytesPerSecond)}");
}
