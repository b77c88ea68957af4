using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Reporting;

namespace BtrfsBackup.Tasks;

/// <summary>A finished send (or, in a dry run, a planned one with no transfer).</summary>
public sealed record SendResult(PlannedSend Send, TransferResult? Transfer)
{
    /// <summary>What was sent, how, how much and how fast: "NAME (incremental from PARENT): 12.0 MiB in 0.4 s, 31.5 MB/s".</summary>
    public string Describe() =>
        Transfer is null
            ? $"{Send.Snapshot.Name} ({Send.Kind})"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{Send.Snapshot.Name} ({Send.Kind}): {ByteSize.Format(Transfer.Bytes)} in {Transfer.Elapsed.TotalSeconds:0.0} s, {ByteSize.Rate(Transfer.MegabytesPerSecond)}");

    public override string ToString() => Transfer is null ? $"would send {Describe()}" : $"sent {Describe()}";
}
