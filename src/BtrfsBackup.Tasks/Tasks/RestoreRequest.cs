namespace BtrfsBackup.Tasks;

/// <summary>Which copy to take a restore from.</summary>
public enum RestoreSide
{
    /// <summary>The snapshot in the snapshot_dir when it is there (nothing to transfer), else the backup on the target.</summary>
    Any,

    /// <summary>Only the pair's snapshots in its snapshot_dir.</summary>
    SnapshotDir,

    /// <summary>Only the pair's backups on its target (the source disk is suspect, or gone).</summary>
    Target,
}

/// <summary>
/// What <c>restore</c> was asked for: the snapshot by name (or <c>latest</c>), the new path it
/// becomes (which must not exist), where to take it from, and whether a copy received on the way is kept.
/// </summary>
public sealed record RestoreRequest(string Snapshot, string To, RestoreSide From = RestoreSide.Any, bool KeepReceived = false)
{
    /// <summary>The name that asks for the newest copy.</summary>
    public const string Latest = "latest";
}
