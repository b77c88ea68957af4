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
/// whether or not that snapshot is still on the source. Subvolumes are sorted into the pair's and
/// foreign ones, and the target's record is read or adopted, by the scanner's own rules
/// (<see cref="SnapshotLocation.OfSnapshots"/>, <see cref="Lineage"/>). The target has no record
/// unless one is asked for (a receive under way, a snapshot recorded as sent, another owner), as a
/// target made before records had none.
/// </summary>
internal sealed class InventoryBuilder
{
    private readonly List<SubvolumeInfo> inSnapshotDir = [];
    private readonly List<SubvolumeInfo> onTarget = [];
    private Status targetStatus = Status.Reachable;
    private string? targetStatusReason;
    private RetentionPolicy? sourceRetention;
    private RetentionPolicy? targetRetention;
    private SourceRecord? sourceRecord;
    private string? receiving;
    private readonly List<string> sentBefore = [];
    private TargetRecord.Owner? otherOwner;
    private bool recorded;
    private Guid? lastBackupOfOurs;
    private int? alertAfterDays;

    /// <summary>The zone names without offset are read in: UTC, so that planner tests give the same plans on every machine (pass "now" in UTC too).</summary>
    public static TimeZoneInfo Zone => TimeZoneInfo.Utc;

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

    /// <summary>A writable subvolume with one of our names in the snapshot directory: foreign, never used as a snapshot.</summary>
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
        var name = nameOnTarget ?? snapshotName;
        RequireOurName(name);
        // Received incrementally from the backup added before it, as one chain of sends is.
        var backup = new SubvolumeInfo(BackupPath(name), DeriveUuid("backup", $"{name}/{SnapshotUuid(snapshotName)}"), lastBackupOfOurs, SnapshotUuid(snapshotName), IsReadOnly: true);
        lastBackupOfOurs = backup.Uuid;
        return AddToTarget(backup);
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
    /// A receive of <paramref name="name"/> that did not finish: writable, without a Received UUID by
    /// default, and named by the target's record as the receive under way (so it is the tool's own).
    /// <paramref name="readOnly"/> makes it read-only but never received instead (foreign, not recorded);
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

        if (!readOnly)
        {
            if (receiving is not null)
            {
                throw new ArgumentException($"the record already names {receiving} as the receive under way; one receive runs at a time", nameof(name));
            }

            receiving = name;
        }

        return AddToTarget(new SubvolumeInfo(
            BackupPath(name), DeriveUuid("incomplete", name), null, withReceivedUuid ? SnapshotUuid(name) : null, readOnly));
    }

    /// <summary>A writable subvolume with one of our names on the target that the tool did not make (a backup made writable by hand, say).</summary>
    public InventoryBuilder WritableOnTarget(string name, bool withReceivedUuid = false)
    {
        RequireOurName(name);
        return AddToTarget(new SubvolumeInfo(BackupPath(name), DeriveUuid("writable", name), null, withReceivedUuid ? SnapshotUuid(name) : null, IsReadOnly: false));
    }

    /// <summary>The target's record says snapshot <paramref name="snapshotName"/> was sent there (its backup may be gone since).</summary>
    public InventoryBuilder SentBefore(string snapshotName)
    {
        RequireOurName(snapshotName);
        sentBefore.Add(snapshotName);
        return this;
    }

    /// <summary>The target has a record of this pair's (written by an earlier run), even with nothing sent yet.</summary>
    public InventoryBuilder Recorded()
    {
        recorded = true;
        return this;
    }

    /// <summary>The target's record names another source as its owner.</summary>
    public InventoryBuilder TargetOwnedBy(string otherSourcePath)
    {
        otherOwner = new TargetRecord.Owner(DeriveUuid("other-owner", otherSourcePath), otherSourcePath, "other", "this machine");
        return this;
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
    /// The record of the version before (<c>.btrfsbackup-last-backup</c>): source snapshot
    /// <paramref name="snapshotName"/> was the newest backed up when the target was last reached (it
    /// need not be in the snapshot directory). Read only while the target is away.
    /// </summary>
    public InventoryBuilder LastKnownParent(string snapshotName)
    {
        RequireOurName(snapshotName);
        sourceRecord = new SourceRecord([], SnapshotUuid(snapshotName));
        return this;
    }

    /// <summary>The snapshot_dir's record: these snapshots reached the target. Read only while the target is away.</summary>
    public InventoryBuilder RecordedAsSent(params string[] snapshotNames)
    {
        sourceRecord = new SourceRecord([.. snapshotNames.Select(SnapshotUuid)]);
        return this;
    }

    /// <summary>The pair's <c>alert_after_days</c> (null: no alarm, as for <c>0</c> in the file).</summary>
    public InventoryBuilder AlertAfterDays(int? days)
    {
        alertAfterDays = days;
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

    public InventoryBuilder SourceRetention(RetentionPolicy? policy)
    {
        sourceRetention = policy;
        return this;
    }

    public InventoryBuilder TargetRetention(RetentionPolicy? policy)
    {
        targetRetention = policy;
        return this;
    }

    public PairInventory Build()
    {
        var hasTarget = targetStatus != Status.NotConfigured;
        var pair = new BackupPair(PairName, SourcePath, SnapshotDirPath, hasTarget ? TargetPath : null, sourceRetention, targetRetention) { AlertAfterDays = hasTarget ? alertAfterDays : null };
        var source = new SubvolumeInfo(SourcePath, SourceUuid, null, null, IsReadOnly: false);
        var zone = Zone;
        var snapshotDir = SnapshotLocation.OfSnapshots(SnapshotDirPath, inSnapshotDir, SourceUuid, zone);
        if (targetStatus != Status.Reachable)
        {
            return new PairInventory(pair, source, snapshotDir, targetStatus, targetStatusReason ?? DefaultReason(targetStatus), null)
            {
                SentSnapshots = hasTarget ? Lineage.SentFromSource(sourceRecord, snapshotDir) : null,
            };
        }

        var view = Lineage.Target(pair, "this machine", source, snapshotDir, onTarget, TargetRecordAsWritten(), zone);
        return new PairInventory(pair, source, snapshotDir, view.Status, targetStatusReason ?? view.Reason, view.Location)
        {
            TargetRecord = view.Record,
            SentSnapshots = view.Sent,
        };
    }

    // The record as the tool would have written it: every backup of ours received, what was sent before, the receive under way.
    private TargetRecord? TargetRecordAsWritten()
    {
        if (otherOwner is not null)
        {
            return new TargetRecord(otherOwner, null, []);
        }

        if (!recorded && receiving is null && sentBefore.Count == 0)
        {
            return null;
        }

        var ours = inSnapshotDir.Select(subvolume => subvolume.Uuid).ToHashSet();
        var receipts = onTarget
            .Where(subvolume => subvolume.IsReadOnly && subvolume.ReceivedUuid is { } received && ours.Contains(received) && SnapshotName.TryParse(subvolume.Name, Zone, out _))
            .Select(subvolume => new TargetRecord.Receipt(subvolume.ReceivedUuid!.Value, subvolume.Name, subvolume.Uuid))
            .Concat(sentBefore.Select(name => new TargetRecord.Receipt(SnapshotUuid(name), name)))
            .ToList();
        var owner = new TargetRecord.Owner(SourceUuid, SourcePath, PairName, "this machine");
        return new TargetRecord(owner, receiving is null ? null : new TargetRecord.Receipt(SnapshotUuid(receiving), receiving, null, BackupPath(receiving)), receipts);
    }

    private string DefaultReason(Status status) => status switch
    {
        Status.NotConfigured => "no target configured (snapshot-only pair)",
        Status.Missing => $"target {TargetPath} does not exist (is the backup disk mounted?)",
        Status.NotBtrfs => $"target {TargetPath} is on a filesystem of type ext4, not btrfs",
        Status.OnSourceFilesystem => $"target {TargetPath} is on the source's own filesystem: the backup disk is probably not mounted at {TargetPath}",
        Status.Refused => $"target {TargetPath} belongs to another source",
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
        if (!SnapshotName.TryParse(name, Zone, out _))
        {
            throw new ArgumentException($"'{name}' is not a snapshot name (YYYY-MM-DDTHH:MM:SS[-suffix])", nameof(name));
        }
    }

    private static void RequireForeignName(string name)
    {
        if (SnapshotName.TryParse(name, Zone, out _))
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
