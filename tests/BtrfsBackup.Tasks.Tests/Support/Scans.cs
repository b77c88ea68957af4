using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tests.Support;

/// <summary>A pair's state on this machine, read the way a run reads it.</summary>
internal static class Scans
{
    /// <param name="pair">The pair to scan.</param>
    /// <param name="configured">Every pair of the configuration, when there are more than this one.</param>
    public static Task<PairInventory> OfAsync(BackupPair pair, params BackupPair[] configured) =>
        new PairScanner(LocalBtrfsHost.Instance).ScanAsync(pair, new ScanScope(configured.Length == 0 ? [pair] : configured, TimeZoneInfo.Local), default);
}
