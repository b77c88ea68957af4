using BtrfsBackup.Btrfs;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>One snapshot to transfer with <c>btrfs send | btrfs receive</c>, incrementally when it has a parent.</summary>
public sealed record PlannedSend(Snapshot Snapshot, Snapshot? Parent, string TargetDirectory, string Reason)
{
    /// <summary>Whether the send is incremental (it has a parent).</summary>
    public bool IsIncremental => Parent is not null;

    /// <summary>Where the backup will be: btrfs receive names it after the snapshot.</summary>
    public string BackupPath => Path.Combine(TargetDirectory, Snapshot.Subvolume.Name);

    /// <summary>The transfer as the equivalent shell pipe, for people to read.</summary>
    public string CommandLine =>
        $"{BtrfsCommand.Send(Snapshot.Path, Parent?.Path)} | {BtrfsCommand.Receive(TargetDirectory)}";

    /// <summary><c>full</c>, or <c>incremental from NAME</c>, as the log and the run summary say it.</summary>
    public string Kind => Parent is null ? "full" : $"incremental from {Parent.Name}";
}
