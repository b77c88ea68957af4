namespace BtrfsBackup.Tasks;

/// <summary>The operations on a pair, in the order a nightly run takes them.</summary>
public enum BackupStep
{
    /// <summary>Reads the source, its snapshots and the backups; changes nothing (<c>Scan:PAIR</c>).</summary>
    Scan,

    /// <summary>Takes a read-only snapshot of the source (<c>Snapshot:PAIR</c>).</summary>
    Snapshot,

    /// <summary>Sends the snapshots the target lacks (<c>Send:PAIR</c>).</summary>
    Send,

    /// <summary>Applies retention on the source and the target (<c>Purge:PAIR</c>).</summary>
    Purge,

    /// <summary>Restores a snapshot as a new writable subvolume (<c>Restore:PAIR</c>, the <c>restore</c> target).</summary>
    Restore,

    /// <summary>Compares backups with their source snapshots; reads only (the <c>verify</c> target).</summary>
    Verify,
}
