using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Sends every new snapshot of a pair to its target, oldest first, each incremental from the right
/// parent. Before each receive it records in the target's record what it is about to receive, so a
/// receive cut short is known to be the tool's; after it, it checks the backup (read-only, Received
/// UUID = the snapshot's UUID, on the scanned filesystem) and records it as sent. Anything short of
/// that is deleted, the pair fails, and nothing more is sent for it.
/// </summary>
internal sealed class SendTask : BackupTask
{
    public required PairInventory Inventory { get; set; }

    /// <summary>What to do; when left null, planned from <see cref="Inventory"/>. Output: the plan that ran.</summary>
    public SendPlan? Plan { get; set; }

    /// <summary>How often a running transfer logs its progress.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Output: one entry per send done (or planned, in a dry run).</summary>
    public IReadOnlyList<SendResult> Results => results;

    /// <summary>Output: every subvolume deleted on the target (an unfinished receive, a partial one after a failure), with why.</summary>
    public IReadOnlyList<PlannedStep> Deleted => deleted;

    /// <summary>Output: the inventory with the new backups in it.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    private readonly List<SendResult> results = [];
    private readonly List<PlannedStep> deleted = [];
    private TargetRecord record = null!;

    protected override async Task ExecuteAsync()
    {
        var plan = Plan ??= SendPlanner.Plan(Inventory);
        UpdatedInventory = Inventory;
        if (plan.SkipReason is not null)
        {
            Log.Information($"{plan.SkipReason}.");
            return;
        }

        record = Inventory.TargetRecord ?? throw new BackupException("the target was not scanned; nothing was sent");
        foreach (var step in plan.Cleanup)
        {
            LogStep(step, Target);
            if (!DryRun)
            {
                await EnsureTargetStillMountedAsync();
                await EnsureStillIncompleteAsync(step);
                await Target.DeleteSubvolumeAsync(step.Path, Cancellation);
                await WriteTargetRecordAsync(record.NothingReceiving());
            }

            deleted.Add(step);
        }

        foreach (var send in plan.Sends)
        {
            LogCommand(Environment.Transfers.Describe(RequestFor(send)), send.Reason);
            var (backup, transfer) = DryRun
                ? (new SubvolumeInfo(send.BackupPath, Guid.NewGuid(), send.Parent is null ? null : Guid.NewGuid(), send.Snapshot.Uuid, IsReadOnly: true), null)
                : await TransferAsync(send);
            var result = new SendResult(send, transfer);
            results.Add(result);
            UpdatedInventory = WithBackup(UpdatedInventory, send.Snapshot, new Snapshot(send.Snapshot.Name, backup));
            if (!DryRun)
            {
                Log.Information($"sent {result}");
                await WriteTargetRecordAsync(record.Received(send.Snapshot.Uuid, send.Snapshot.Subvolume.Name, backup.Uuid)
                    .Pruned(UpdatedInventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Uuid), UpdatedInventory.Target!.Snapshots.Select(snapshot => snapshot.Uuid)));

                // While the backup disk is away, retention keeps what this record does not name.
                var sent = new SourceRecord([.. UpdatedInventory.SnapshotDir.Snapshots.Where(UpdatedInventory.HasBeenSent).Select(snapshot => snapshot.Uuid)]);
                await Source.WriteRecordAsync(SourceRecord.PathIn(Inventory.Pair.SnapshotDir), sent.Serialize(), CancellationToken.None);
            }
        }
    }

    private async Task<(SubvolumeInfo Backup, TransferResult Transfer)> TransferAsync(PlannedSend send)
    {
        var (_, appeared) = await Together.AskAsync(EnsureTargetStillMountedAsync(), Target.AnythingAtAsync(send.BackupPath, Cancellation));
        if (appeared)
        {
            throw new BackupException($"{send.BackupPath} appeared on the target since the scan; nothing was sent and nothing there was touched");
        }

        // Written before the receive starts: what a later run finds half-received at this path is then provably ours.
        try
        {
            await WriteTargetRecordAsync(record.StartReceiving(send.Snapshot.Uuid, send.Snapshot.Subvolume.Name, send.BackupPath));
        }
        catch (BackupException e)
        {
            throw new BackupException($"sending {send.Snapshot.Name} did not start: {e.Message}; nothing was sent", e);
        }
        TransferResult transfer;
        try
        {
            transfer = await Environment.Transfers.RunAsync(
                RequestFor(send),
                (bytes, elapsed) => Log.Information($"sending {send.Snapshot.Name}: {Logging.ByteSize.Progress(bytes, elapsed)}"),
                Cancellation);
        }
        catch (OperationCanceledException)
        {
            var removed = await RemovePartialAsync(send, "the transfer was interrupted");
            throw new BackupException($"sending {send.Snapshot.Name} was interrupted; {removed}");
        }
        catch (BackupException e)
        {
            // A SIGTERM sent to the whole process group kills btrfs before our handler has cancelled.
            var interrupted = Cancellation.IsCancellationRequested;
            var removed = await RemovePartialAsync(send, interrupted ? "the transfer was interrupted" : "the transfer failed");
            throw new BackupException(interrupted ? $"sending {send.Snapshot.Name} was interrupted; {removed}" : $"sending {send.Snapshot.Name} failed; {removed}. {e.Message}", e);
        }

        var (backup, landedOn) = await Together.AskAsync(
            Target.ShowSubvolumeAsync(send.BackupPath, CancellationToken.None),
            Target.FindFilesystemAsync(send.BackupPath, CancellationToken.None));
        var problem = landedOn.Uuid != Inventory.TargetFilesystem!.Uuid ? $"it is not on the target's filesystem {Inventory.TargetFilesystem.Uuid} (the disk was unmounted during the send?)"
            : !backup.IsReadOnly ? "it is not read-only"
            : backup.ReceivedUuid != send.Snapshot.Uuid ? $"its Received UUID {backup.ReceivedUuid?.ToString() ?? "-"} is not the snapshot's UUID {send.Snapshot.Uuid}"
            : null;
        if (problem is not null)
        {
            var removed = await RemovePartialAsync(send, "it failed its check after the receive");
            throw new BackupException($"the backup {send.BackupPath} failed its check ({problem}); {removed}");
        }

        return (backup, transfer);
    }

    private IBtrfsHost Source => SourceHost(Inventory.Pair);

    private IBtrfsHost Target => TargetHost(Inventory.Pair);

    private TransferRequest RequestFor(PlannedSend send) =>
        new(Source, send.Snapshot.Path, send.Parent?.Path, Target, send.TargetDirectory) { ProgressInterval = ProgressInterval, Stream = Inventory.Pair.Stream };

    private async Task WriteTargetRecordAsync(TargetRecord updated)
    {
        record = updated;
        await Target.WriteRecordAsync(TargetRecord.PathIn(Inventory.Pair.Target!), updated.Serialize(), CancellationToken.None);
    }

    // The disk may have been unplugged since the scan: never receive onto whatever is underneath.
    private async Task<MountedFilesystem> EnsureTargetStillMountedAsync()
    {
        var target = Inventory.Pair.Target!;
        var scanned = Inventory.TargetFilesystem!;
        // findmnt follows symlinks as the receive will, so it is asked beside the inspection, not after it.
        var (state, mount) = await Together.AskAsync(Target.InspectAsync(target, Cancellation), FilesystemIfAnyAsync(target));
        var now = state.IsDirectory ? mount : null;
        if (now is null || !now.IsBtrfs || now.Uuid != scanned.Uuid)
        {
            throw new BackupException(
                $"target {target} is no longer on the filesystem the scan found ({scanned.MountPoint}, UUID {scanned.Uuid}); " +
                "it was unmounted or replaced since the scan. Nothing was sent");
        }

        return now;
    }

    // Where the target is mounted now; null when findmnt finds nothing there (the folder is gone).
    private async Task<MountedFilesystem?> FilesystemIfAnyAsync(string path)
    {
        try
        {
            return await Target.FindFilesystemAsync(path, Cancellation);
        }
        catch (BackupException e) when (e is not Remote.SshUnreachableException)
        {
            return null;
        }
    }

    // Called after a failed transfer of a name that was free when it started, so what is there now is
    // normally our unfinished receive. Still confirmed: never delete a complete backup of this snapshot
    // (another run's), nor anything that is not a subvolume.
    private async Task<string> RemovePartialAsync(PlannedSend send, string why)
    {
        try
        {
            if (!(await Target.InspectAsync(send.BackupPath, CancellationToken.None)).Exists)
            {
                // On another machine the receive may outlive its ssh for a moment and still make the subvolume:
                // the record keeps naming it, so the next run knows it for the tool's and removes it.
                return Target is Remote.SshBtrfsHost
                    ? "nothing was left on the target (the target's record names it until a later run has made sure)"
                    : $"nothing was left on the target{await ClearReceivingAsync()}";
            }

            var left = await Target.ShowSubvolumeAsync(send.BackupPath, CancellationToken.None);
            if (left.IsReadOnly && left.ReceivedUuid == send.Snapshot.Uuid)
            {
                return $"{send.BackupPath} is a complete backup of this snapshot (made by another run?) and was left alone";
            }

            await Target.DeleteSubvolumeAsync(send.BackupPath, CancellationToken.None);
            deleted.Add(new PlannedStep(BtrfsCommand.DeleteSubvolume(send.BackupPath), $"partial receive of {send.Snapshot.Name}, removed because {why}"));
            return $"the partial subvolume {send.BackupPath} was deleted{await ClearReceivingAsync()}";
        }
        catch (BackupException e)
        {
            return $"{send.BackupPath} could NOT be removed ({e.Message}); the target's record names it, so the next run deletes it";
        }
    }

    // Best effort: on a full or read-only disk the record may not be writable; a receive it still names
    // that is not there is harmless, and the next run that writes the record clears it.
    private async Task<string> ClearReceivingAsync()
    {
        try
        {
            await WriteTargetRecordAsync(record.NothingReceiving());
            return string.Empty;
        }
        catch (BackupException e)
        {
            return $" (the target's record still names it as under way: {e.Message})";
        }
    }

    // The unfinished receive to delete must be the one the scan found, and still unfinished.
    private async Task EnsureStillIncompleteAsync(PlannedStep deletion)
    {
        var now = await Target.ShowSubvolumeAsync(deletion.Path, Cancellation);
        if (now.Uuid != deletion.Subject!.Uuid || now.IsReadOnly)
        {
            throw new BackupException($"{deletion.Path} changed since the scan; not deleting it. Nothing was sent");
        }
    }

    private static PairInventory WithBackup(PairInventory inventory, Snapshot sent, Snapshot backup)
    {
        var target = inventory.Target!;
        var backups = target.Snapshots.Append(backup).Order(Snapshot.Chronological).ToList();
        var incomplete = target.Incomplete.Where(subvolume => subvolume.Name != backup.Subvolume.Name).ToList();
        return inventory with
        {
            Target = target with { Snapshots = backups, Incomplete = incomplete },
            SentSnapshots = new HashSet<Guid>(inventory.SentSnapshots ?? new HashSet<Guid>()) { sent.Uuid },
        };
    }
}
