namespace BtrfsBackup.Hosts;

/// <summary>How much a send moved and how long it took.</summary>
public sealed record TransferResult(long Bytes, TimeSpan Elapsed);
