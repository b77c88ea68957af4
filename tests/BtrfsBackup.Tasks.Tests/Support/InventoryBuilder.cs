using System.Security.Cryptography;
using System.Text;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Builds a <see cref="PairInventory"/> in memory, as <see cref="PairScanner"/> would read it, for
/// planner tests. Source /src/PAIR, snapshots in /snapshots/PAIR, backups in /backup/PAIR.
/// UUIDs are derived from the pair and the name, so they are the same on every run; a backup's
/// Received UUID is the UUID of the source snapshot it was sent from (<see cref="SnapshotUuid"/>),
/// whether or not that snapshot is still on the source. Subvolumes are sorted into snapshots,
/// incomplete and foreign by <see cref="SnapshotLocation.Classify"/>, so the real rules apply.
/// </summary>
internal sealed class InventoryBuilder
{
    private readonly List<SubvolumeInfo> inSnapshotDir = [];
    private readonly List<SubvolumeInfo> onTarget = [];
    private Status targetStatus = Status.Reachable;
    private string? targetStatusReason;
    private RetentionPolicy? sourceRetention;
    private RetentionPolicy? targetRetention;
    private Guid? lastKnownParent;

    public InventoryBuilder(string pairName = "home")
    {
        PairName = pairName;
        SourcePath = $"/src/{pairName}";
        SnapshotDirPath = $"/snapshots/{pairName}";
        TargetPath = $"/backup/{pairName}";
        SourceUuid = DeriveUuid("source", SourcePath);
    }

    public string PairName { get; }

    public string SourcePath { get; }

    public string SnapshotDirPath { get; }

    public string TargetPath { get; }

    public Guid SourceUuid { get; }

    /// <summary>The UUID of source snapshot <paramref name="name"/>: the Received UUID of its backups.</summary>
    public Guid SnapshotUuid(string name) => DeriveUuid("snapshot", name);

    /// <summary>The Received UUID of <see cref="BackupFromOtherSource"/>: it matches none of this pair's snapshots.</summary>
    public Guid OtherSourceUuid(string name) => DeriveUuid("other-source", name);

    public string SnapshotPath(string name) => $"{SnapshotDirPath}/{name}";

    public string BackupPath(string name) => $"{TargetPath}/{name}";

    /// <summary>A read-only snapshot of the source in the snapshot directory.</summary>
    public InventoryBuilder Snapshot(string name)
    {
        RequireOurName(name);
        return AddToSnapshotDir(new SubvolumeInfo(SnapshotPath(name), SnapshotUuid(name), SourceUuid, null, IsReadOnly: true));
    }

    public InventoryBuilder Snapshots(params string[] names)
    {
        foreach (var name in names)
        {
            Snapshot(name);
        }

        return this;
    }

    /// <summary>A writable subvolume with one of our names in the snapshot directory: never used as a snapshot.</summary>
    public InventoryBuilder WritableSnapshot(string name)
    {
        RequireOurName(name);
        return AddToSnapshotDir(new SubvolumeInfo(SnapshotPath(name), SnapshotUuid(name), SourceUuid, null, IsReadOnly: false));
    }

    public InventoryBuilder ForeignInSnapshotDir(string name)
    {
        RequireForeignName(name);
        return AddToSnapshotDir(new SubvolumeInfo(SnapshotPath(name), DeriveUuid("foreign-snapshot-dir", name), null, null, IsReadOnly: false));
    }

    /// <summary>
    /// A complete backup of source snapshot <paramref name="snapshotName"/> (its Received UUID is
    /// that snapshot's UUID), named <paramref name="nameOnTarget"/> if it was renamed on the target.
    /// </summary>
    public InventoryBuilder BackupOf(string snapshotName, string? nameOnTarget = null)
    {
        RequireOurName(snapshotName);
        return Backup(nameOnTarget ?? snapshotName, SnapshotUuid(snapshotName));
    }

    /// <summary>
    /// A complete backup whose Received UUID matches none of this pair's snapshots: another source's.
    /// With the name of one of our snapshots, it is a different subvolume under that name.
    /// </summary>
    public InventoryBuilder BackupFromOtherSource(string name) => Backup(name, OtherSourceUuid(name));

    /// <summary>A complete (read-only, received) backup named <paramref name="nameOnTarget"/> with any Received UUID.</summary>
    public InventoryBuilder Backup(string nameOnTarget, Guid receivedUuid)
    {
        RequireOurName(nameOnTarget);
        return AddToTarget(new SubvolumeInfo(
            BackupPath(nameOnTarget), DeriveUuid("backup", $"{nameOnTarget}/{receivedUuid}"), null, receivedUuid, IsReadOnly: true));
    }

    /// <summary>
    /// A receive of <paramref name="name"/> that did not finish: writable and without a Received
    /// UUID by default. <paramref name="readOnly"/> makes it read-only (but never received);
    /// <paramref name="withReceivedUuid"/> gives it the Received UUID of snapshot <paramref name="name"/>
    /// (but leaves it writable). Both at once would be a complete backup, so that is refused.
    /// </summary>
    public InventoryBuilder IncompleteReceive(string name, bool readOnly = false, bool withReceivedUuid = false)
    {
        RequireOurName(name);
        if (readOnly && withReceivedUuid)
        {
            throw new ArgumentException("a read-only subvolume with a Received UUID is a complete backup; use BackupOf", nameof(withReceivedUuid));
        }

        return AddToTarget(new SubvolumeInfo(
            BackupPath(name), DeriveUuid("incomplete", name), null, withReceivedUuid ? SnapshotUuid(name) : null, readOnly));
    }

    /// <summary>A subvolume on the target whose name is not one of ours; <paramref name="receivedFrom"/> makes it a received backup of that snapshot.</summary>
    public InventoryBuilder ForeignOnTarget(string name, string? receivedFrom = null)
    {
        RequireForeignName(name);
        return AddToTarget(new SubvolumeInfo(
            BackupPath(name),
            DeriveUuid("foreign-target", name),
            null,
            receivedFrom is null ? null : SnapshotUuid(receivedFrom),
            IsReadOnly: receivedFrom is not null));
    }

    /// <summary>
    /// Whether the target could be reached, with the reason the scanner would give unless
    /// <paramref name="reason"/> says otherwise. As in a real scan, an unreachable target has no
    /// listing (whatever was declared on it), and <see cref="Status.NotConfigured"/> leaves the
    /// pair without a target.
    /// </summary>
    public InventoryBuilder TargetStatus(Status status, string? reason = null)
    {
        targetStatus = status;
        targetStatusReason = reason;
        return this;
    }

    public InventoryBuilder NoTarget() => TargetStatus(Status.NotConfigured);

    /// <summary>
    /// The last-backup record: source snapshot <paramref name="snapshotName"/> was the next
    /// incremental's parent when the target was last reached (it need not be in the snapshot directory).
    /// </summary>
    public InventoryBuilder LastKnownParent(string snapshotName)
    {
        RequireOurName(snapshotName);
        lastKnownParent = SnapshotUuid(snapshotName);
        return this;
    }

    public InventoryBuilder SourceRetention(int keepDays, int keepCount)
    {
        sourceRetention = new RetentionPolicy(keepDays, keepCount);
        return this;
    }

    public InventoryBuilder TargetRetention(int keepDays, int keepCount)
    {
        targetRetention = new RetentionPolicy(keepDays, keepCount);
        return this;
    }

    public PairInventory Build()
    {
        var hasTarget = targetStatus != Status.NotConfigured;
        var pair = new BackupPair(PairName, SourcePath, SnapshotDirPath, hasTarget ? TargetPath : null, sourceRetention, targetRetention);
        var source = new SubvolumeInfo(SourcePath, SourceUuid, null, null, IsReadOnly: false);
        var snapshotDir = SnapshotLocation.Classify(SnapshotDirPath, inSnapshotDir, SnapshotLocation.IsUsableSnapshot);
        var target = targetStatus == Status.Reachable
            ? SnapshotLocation.Classify(TargetPath, onTarget, SnapshotLocation.IsCompleteBackup)
            : null;
        return new PairInventory(pair, source, snapshotDir, targetStatus, targetStatusReason ?? DefaultReason(targetStatus), target)
        {
            LastKnownParent = lastKnownParent,
        };
    }

    private string DefaultReason(Status status) => status switch
    {
        Status.NotConfigured => "no target configured (snapshot-only pair)",
        Status.Missing => $"target {TargetPath} does not exist (is the backup disk mounted?)",
        Status.NotBtrfs => $"target {TargetPath} is on a filesystem of type ext4, not btrfs",
        Status.OnSourceFilesystem => $"target {TargetPath} is on the source's own filesystem: the backup disk is probably not mounted at {TargetPath}",
        Status.Reachable => $"target {TargetPath} is reachable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private InventoryBuilder AddToSnapshotDir(SubvolumeInfo subvolume) => Add(inSnapshotDir, subvolume);

    private InventoryBuilder AddToTarget(SubvolumeInfo subvolume) => Add(onTarget, subvolume);

    private InventoryBuilder Add(List<SubvolumeInfo> location, SubvolumeInfo subvolume)
    {
        if (location.Any(existing => existing.Path == subvolume.Path))
        {
            throw new ArgumentException($"{subvolume.Path} is already there: a directory holds one subvolume per name", nameof(subvolume));
        }

        location.Add(subvolume);
        return this;
    }

    private static void RequireOurName(string name)
    {
        if (!SnapshotName.TryParse(name, out _))
        {
            throw new ArgumentException($"'{name}' is not a snapshot name (YYYY-MM-DDTHH:MM:SS[-suffix])", nameof(name));
        }
    }

    private static void RequireForeignName(string name)
    {
        if (SnapshotName.TryParse(name, out _))
        {
            throw new ArgumentException($"'{name}' is a snapshot name, so it would not be foreign", nameof(name));
        }
    }

    private Guid DeriveUuid(string role, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{PairName}\0{role}\0{name}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
