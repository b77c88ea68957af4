using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Logging;
using BtrfsBackup.Restore;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Restores one snapshot of a pair as a new writable subvolume on this machine: a snapshot of it where
/// it already is on the destination's filesystem, else <c>btrfs send | btrfs receive</c> beside the
/// destination (incremental where a relative is there) and a writable snapshot of what arrived. Never
/// overwrites: the destination must not exist. Touches nothing of the pair's: its snapshots and backups
/// are only read. A failure removes what this restore made.
/// </summary>
internal sealed class RestoreTask : BackupTask
{
    public required BackupPair Pair { get; set; }

    public required RestoreRequest Request { get; set; }

    /// <summary>How often a running transfer logs its progress.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Output: what was restored (or, in a dry run, would be).</summary>
    public RestorePlan? Plan { get; private set; }

    /// <summary>Output: the transfer, when there was one.</summary>
    public TransferResult? Transfer { get; private set; }

    private IBtrfsHost Here => Environment.Host;

    protected override async Task ExecuteAsync()
    {
        var to = await CheckDestinationAsync();
        var zone = Environment.Clock.LocalTimeZone;
        var found = await RestoreCopies.ReadAsync(Pair, Environment, zone, Cancellation);
        foreach (var side in found.Unreadable)
        {
            Log.Warning($"not searched: {side}.");
        }

        var copy = RestorePlanner.Choose(found.Copies, Request, zone);
        var folder = Path.GetDirectoryName(to)!;
        var destination = await Here.FindFilesystemAsync(folder, Cancellation);
        if (!destination.IsBtrfs)
        {
            throw new BackupException($"--to={to} is on {destination.Type} (mounted at {destination.MountPoint}), not btrfs: a restore is a subvolume, so it needs a btrfs filesystem");
        }

        var plan = Plan = RestorePlanner.Plan(copy, found.Copies, Here, to, destination, await Here.ListSubvolumesAsync(destination, Cancellation), Request.KeepReceived);
        if (plan.ReceivedPath is { } received && (await Here.InspectAsync(received, Cancellation)).Exists)
        {
            throw new BackupException($"{received} exists: the copy is received there on its way to {to}, and restore never overwrites. Move it away, or restore into another folder");
        }

        if (plan.Transfers)
        {
            await ReceiveAsync(plan);
        }

        LogStep(plan.Snapshot, Here);
        if (!DryRun)
        {
            await MakeWritableCopyAsync(plan);
        }

        if (plan.Cleanup is { } cleanup)
        {
            LogStep(cleanup, Here);
            if (!DryRun)
            {
                await Here.DeleteSubvolumeAsync(cleanup.Path, CancellationToken.None);
            }
        }

        if (!DryRun)
        {
            Log.Information($"restored {copy} to {to}{(plan.Transfers && Request.KeepReceived ? $"; the received read-only copy is kept at {plan.ReceivedPath}" : string.Empty)}");
        }
    }

    // The destination is new, on this machine, in a folder that exists, and not among the pair's own folders.
    private async Task<string> CheckDestinationAsync()
    {
        if (!Path.IsPathFullyQualified(Request.To))
        {
            throw new BackupException($"--to={Request.To} is not an absolute path; give the full path of the subvolume to create, e.g. --to=/mnt/restore/home");
        }

        var to = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Request.To));
        var state = await Here.InspectAsync(to, Cancellation);
        if (state.Exists || state.DanglingLinkTarget is not null)
        {
            throw new BackupException($"--to={to} exists; restore never overwrites anything: name a path that does not exist yet");
        }

        var folder = await Here.InspectAsync(Path.GetDirectoryName(to) ?? "/", Cancellation);
        if (!folder.IsDirectory)
        {
            throw new BackupException($"the folder of --to={to} does not exist; make it first (mkdir -p {Path.GetDirectoryName(to)})");
        }

        var real = Path.Combine(folder.RealPath!, Path.GetFileName(to));
        foreach (var (access, own, what) in new[] { (Pair.SourceAccess, Pair.SnapshotDir, "snapshot_dir"), (Pair.TargetAccess, Pair.Target, "target") })
        {
            if (access is null && own is not null && (await Here.InspectAsync(own, Cancellation)).RealPath is { } ownReal
                && (real == ownReal || real.StartsWith(ownReal + "/", StringComparison.Ordinal)))
            {
                throw new BackupException($"--to={to} is inside the pair's {what} {own}, which holds only the tool's own snapshots: restore somewhere else");
            }
        }

        return to;
    }

    private async Task ReceiveAsync(RestorePlan plan)
    {
        var request = new TransferRequest(plan.Copy.Host, plan.Copy.Snapshot.Path, plan.Parent?.Snapshot.Path, Here, plan.ReceiveDirectory!)
        {
            ProgressInterval = ProgressInterval,
            Stream = Pair.Stream,
        };
        var why = plan.Parent is { } parent
            ? $"receive {plan.Copy.Snapshot.Name} beside --to, incremental from {parent.Snapshot.Name}, which this filesystem holds"
            : $"receive {plan.Copy.Snapshot.Name} beside --to (full: this filesystem holds none of its relatives)";
        LogCommand(Environment.Transfers.Describe(request), why);
        if (DryRun)
        {
            return;
        }

        var received = plan.ReceivedPath!;
        try
        {
            Transfer = await Environment.Transfers.RunAsync(
                request,
                (bytes, elapsed) => Log.Information($"restoring {plan.Copy.Snapshot.Name}: {ByteSize.Progress(bytes, elapsed)}"),
                Cancellation);
            var arrived = await Here.ShowSubvolumeAsync(received, CancellationToken.None);
            if (!arrived.IsReadOnly || arrived.ReceivedUuid != plan.Copy.StreamIdentity)
            {
                throw new BackupException($"{received} failed its check after the receive (read-only {arrived.IsReadOnly}, Received UUID {arrived.ReceivedUuid?.ToString() ?? "-"}, expected {plan.Copy.StreamIdentity})");
            }
        }
        catch (Exception e) when (e is BackupException or OperationCanceledException)
        {
            var removed = await RemoveOwnAsync(received);
            throw new BackupException($"restoring {plan.Copy.Snapshot.Name} {(e is OperationCanceledException ? "was interrupted" : "failed")}; {removed}. {(e is BackupException ? e.Message : string.Empty)}".TrimEnd(' ', '.'), e);
        }

        Log.Information($"received {plan.Copy.Snapshot.Name}: {ByteSize.Transferred(Transfer.Bytes, Transfer.Elapsed)}");
    }

    private async Task MakeWritableCopyAsync(RestorePlan plan)
    {
        try
        {
            await Here.CreateWritableSnapshotAsync(plan.SnapshotSource, plan.To, Cancellation);
            var made = await Here.ShowSubvolumeAsync(plan.To, CancellationToken.None);
            if (made.IsReadOnly || made.ReceivedUuid is not null)
            {
                throw new BackupException($"{plan.To} came out read-only or with a Received UUID ({made.ReceivedUuid}); it was not kept, so nothing takes it for a backup");
            }
        }
        catch (BackupException e)
        {
            var removed = (await Here.InspectAsync(plan.To, CancellationToken.None)).Exists ? await RemoveOwnAsync(plan.To) : "nothing was made at --to";
            var received = plan.ReceivedPath is { } copy ? await RemoveOwnAsync(copy) : null;
            throw new BackupException($"the restored subvolume could not be made: {e.Message}; {removed}{(received is null ? string.Empty : $"; {received}")}", e);
        }
    }

    // Only ever what this restore made: a name that was free when it started.
    private async Task<string> RemoveOwnAsync(string path)
    {
        try
        {
            if (!(await Here.InspectAsync(path, CancellationToken.None)).Exists)
            {
                return $"nothing was left at {path}";
            }

            await Here.DeleteSubvolumeAsync(path, CancellationToken.None);
            return $"the partial {path} was deleted";
        }
        catch (BackupException e)
        {
            return $"{path} could NOT be removed ({e.Message}); delete it by hand (btrfs subvolume delete {ShellQuoting.Quote(path)})";
        }
    }
}
