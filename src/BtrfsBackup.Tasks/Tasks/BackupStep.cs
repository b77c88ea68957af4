namespace BtrfsBackup.Tasks;

/// <summary>The operations on a pair, in the order a nightly run takes them.</summary>
public enum BackupStep
{
    Scan,
    Snapshot,
    Send,
    Purge,
    Restore,
}
