using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;
using BtrfsBackup.Reporting;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Sends every new snapshot of a pair to its target, oldest first, each incremental from the right
/// parent. After each receive it checks the backup (read-only, Received UUID = the snapshot's UUID);
/// anything short of that is deleted, the pair fails, and nothing more is sent for it.
/// </summary>
public sealed class SendTask : BackupTask
{
    public required PairInventory Inventory { get; set; }

    /// <summary>How often a running transfer logs its progress.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Output: what the planner decided.</summary>
    public SendPlan? Plan { get; private set; }

    /// <summary>Output: one entry per send done (or planned, in a dry run).</summary>
    public IReadOnlyList<SendResult> Results => results;

    /// <summary>Output: the inventory with the new backups in it.</summary>
    public PairInventory? UpdatedInventory { get; private set; }

    private readonly List<SendResult> results = [];

    protected override string PairName => Inventory.Pair.Name;

    protected override async Task ExecuteAsync()
    {
        var plan = SendPlanner.Plan(Inventory);
        Plan = plan;
        UpdatedInventory = Inventory;
        foreach (var warning in plan.Warnings)
        {
            Log.Warning($"Pair '{PairName}': {warning}.");
        }

        if (plan.SkipReason is not null)
        {
            Log.Information($"Pair '{PairName}': {plan.SkipReason}.");
            return;
        }

        foreach (var step in plan.Cleanup)
        {
            LogStep(step);
            if (!DryRun)
            {
                await EnsureTargetStillMountedAsync();
                await EnsureStillIncompleteAsync(step);
                await BtrfsAdapter.RunAsync(step.Command, Cancellation);
            }
        }

        foreach (var send in plan.Sends)
        {
            LogCommand(send.CommandLine, send.Reason);
            var (backup, transfer) = DryRun
                ? (new SubvolumeInfo(send.BackupPath, Guid.NewGuid(), send.Parent is null ? null : Guid.NewGuid(), send.Snapshot.Uuid, IsReadOnly: true), null)
                : await TransferAsync(send);
            var result = new SendResult(send, transfer);
            results.Add(result);
            if (!DryRun)
            {
                Log.Information($"Pair '{PairName}': {result}");
            }

            UpdatedInventory = WithBackup(UpdatedInventory, new Snapshot(send.Snapshot.Name, backup));
            if (!DryRun)
            {
                // Retention protects this snapshot as the next parent, also on nights the target is away.
                LastBackupRecord.Write(Inventory.Pair.SnapshotDir, send.Snapshot);
            }
        }
    }

    private async Task<(SubvolumeInfo Backup, TransferResult Transfer)> TransferAsync(PlannedSend send)
    {
        await EnsureTargetStillMountedAsync();
        if (Path.Exists(send.BackupPath))
        {
            throw new BackupException($"Pair '{PairName}': {send.BackupPath} appeared on the target since the scan; nothing was sent and nothing there was touched.");
        }

        TransferResult transfer;
        try
        {
            transfer = await SendReceiveTransfer.RunAsync(
                send.Snapshot.Path,
                send.Parent?.Path,
                send.TargetDirectory,
                (bytes, elapsed) => Log.Information(
                    $"Pair '{PairName}': sending {send.Snapshot.Name}: {ByteSize.Format(bytes)} so far, {ByteSize.Rate(bytes / 1_000_000.0 / elapsed.TotalSeconds)}"),
                ProgressInterval,
                Cancellation);
        }
        catch (OperationCanceledException)
        {
            var removed = await RemovePartialAsync(send);
            throw new BackupException($"Pair '{PairName}': sending {send.Snapshot.Name} was interrupted; {removed}.");
        }
        catch (BackupException e)
        {
            var removed = await RemovePartialAsync(send);

            // A SIGTERM sent to the whole process group kills btrfs before our handler has cancelled.
            if (Cancellation.IsCancellationRequested)
            {
                throw new BackupException($"Pair '{PairName}': sending {send.Snapshot.Name} was interrupted; {removed}.", e);
            }

            throw new BackupException($"Pair '{PairName}': sending {send.Snapshot.Name} failed; {removed}. {e.Message}", e);
        }

        var backup = await BtrfsAdapter.ShowSubvolumeAsync(send.BackupPath, CancellationToken.None);
        var landedOn = await BtrfsAdapter.FindFilesystemAsync(send.BackupPath, CancellationToken.None);
        var problem = landedOn.Uuid != Inventory.TargetFilesystem!.Uuid ? $"it is not on the target's filesystem {Inventory.TargetFilesystem.Uuid} (the disk was unmounted during the send?)"
            : !backup.IsReadOnly ? "it is not read-only"
            : backup.ReceivedUuid != send.Snapshot.Uuid ? $"its Received UUID {backup.ReceivedUuid?.ToString() ?? "-"} is not the snapshot's UUID {send.Snapshot.Uuid}"
            : null;
        if (problem is not null)
        {
            var removed = await RemovePartialAsync(send);
            throw new BackupException($"Pair '{PairName}': the backup {send.BackupPath} failed its check ({problem}); {removed}.");
        }

        return (backup, transfer);
    }

    // The disk may have been unplugged since the scan: never receive onto whatever is underneath.
    private async Task EnsureTargetStillMountedAsync()
    {
        var target = Inventory.Pair.Target!;
        var scanned = Inventory.TargetFilesystem!;
        var now = Directory.Exists(target) ? await BtrfsAdapter.FindFilesystemAsync(target, Cancellation) : null;
        if (now is null || !now.IsBtrfs || now.Uuid != scanned.Uuid)
        {
            throw new BackupException(
                $"Pair '{PairName}': target {target} is no longer on the filesystem the scan found ({scanned.MountPoint}, UUID {scanned.Uuid}); " +
                "it was unmounted or replaced since the scan. Nothing was sent.");
        }
    }

    // Called after a failed transfer of a name that was free when it started, so what is there now is
    // normally our unfinished receive. Still confirmed: never delete a complete backup of this snapshot
    // (another run's), nor anything that is not a subvolume.
    private static async Task<string> RemovePartialAsync(PlannedSend send)
    {
        if (!Directory.Exists(send.BackupPath))
        {
            return "nothing was left on the target";
        }

        try
        {
            var left = await BtrfsAdapter.ShowSubvolumeAsync(send.BackupPath, CancellationToken.None);
            if (left.IsReadOnly && left.ReceivedUuid == send.Snapshot.Uuid)
            {
                return $"{send.BackupPath} is a complete backup of this snapshot (made by another run?) and was left alone";
            }

            await BtrfsAdapter.DeleteSubvolumeAsync(send.BackupPath, CancellationToken.None);
            return $"the partial subvolume {send.BackupPath} was deleted";
        }
        catch (BackupException e)
        {
            return $"{send.BackupPath} could NOT be removed ({e.Message}); it is not a backup, remove it by hand";
        }
    }

    // The incomplete receive to delete must be the one the scan found, and still incomplete.
    private async Task EnsureStillIncompleteAsync(PlannedStep deletion)
    {
        var now = await BtrfsAdapter.ShowSubvolumeAsync(deletion.Path, Cancellation);
        if (now.Uuid != deletion.Subject!.Uuid || SnapshotLocation.IsCompleteBackup(now))
        {
            throw new BackupException($"Pair '{PairName}': {deletion.Path} changed since the scan; not deleting it. Nothing was sent.");
        }
    }

    private static PairInventory WithBackup(PairInventory inventory, Snapshot backup)
    {
        var target = inventory.Target!;
        var backups = target.Snapshots.Append(backup).OrderBy(snapshot => snapshot.Name).ToList();
        var incomplete = target.Incomplete.Where(subvolume => subvolume.Name != backup.Name.ToString()).ToList();
        return inventory with { Target = target with { Snapshots = backups, Incomplete = incomplete } };
    }
}
