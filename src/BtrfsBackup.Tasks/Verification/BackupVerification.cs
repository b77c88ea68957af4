using BtrfsBackup.Scanning;

namespace BtrfsBackup.Verification;

/// <summary>What verify found for one backup: identical to its source snapshot, different, or not comparable because that snapshot is gone.</summary>
public sealed class BackupVerification(Snapshot backup, Snapshot? source)
{
    /// <summary>The backup on the target (its name, its subvolume as scanned).</summary>
    public Snapshot Backup { get; } = backup;

    /// <summary>The snapshot in the snapshot_dir it was received from; null when that snapshot was purged.</summary>
    public Snapshot? Source { get; } = source;

    /// <summary>What send/receive carries and is not the same (metadata of the backup, or its tree).</summary>
    public Findings Differences { get; } = new();

    /// <summary>What send/receive does not carry and differs: reported apart, never a difference.</summary>
    public Findings NotCarried { get; } = new();

    /// <summary>Whether the trees were compared (content mode, with the source snapshot there).</summary>
    public bool ContentCompared { get; internal set; }

    /// <summary>Entries and bytes of file data compared, for the report.</summary>
    public (int Entries, long Bytes) Compared { get; internal set; }

    /// <summary>Whether the source snapshot is gone, so the content could not be compared.</summary>
    public bool SourceGone => Source is null;

    /// <summary>Whether the backup differs from its source snapshot.</summary>
    public bool Differs => Differences.Any;
}

/// <summary>What verify found for one pair.</summary>
public sealed class PairVerification(string pair, VerifyMode mode, IReadOnlyList<BackupVerification> backups)
{
    /// <summary>The pair's name.</summary>
    public string Pair { get; } = pair;

    /// <summary>How far the comparison went.</summary>
    public VerifyMode Mode { get; } = mode;

    /// <summary>The backups checked, oldest first.</summary>
    public IReadOnlyList<BackupVerification> Backups { get; } = backups;

    /// <summary>Whether any backup differs from its source snapshot.</summary>
    public bool Differs => Backups.Any(backup => backup.Differs);
}
