namespace BtrfsBackup.Tasks;

/// <summary>The operations on a pair, in the order a nightly run takes them.</summary>
public enum BackupStep
{
    Scan,
    Snapshot,
    Send,
    Purge,
    Restore,

    /// <summary>Compares backups with their source snapshots; reads only (the <c>verify</c> target).</summary>
    Verify,
}
