namespace BtrfsBackup.Btrfs;

/// <summary>How much a send moved and how long it took.</summary>
public sealed record TransferResult(long Bytes, TimeSpan Elapsed)
{
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1_000_000.0 / Elapsed.TotalSeconds : 0;
}
