using BtrfsBackup.Configuration;

namespace BtrfsBackup.Scanning;

/// <summary>
/// What a pair's scan needs to know beyond the pair: every configured pair (their sources and
/// snapshot directories are not nested subvolumes missing from a backup), and the local time zone,
/// in which names written without an offset are read.
/// </summary>
internal sealed record ScanScope(IReadOnlyList<BackupPair> Pairs, TimeZoneInfo Zone)
{
    public static ScanScope Of(BackupPair pair, TimeZoneInfo zone) => new([pair], zone);
}
