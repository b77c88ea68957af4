using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;

namespace BtrfsBackup.Scanning;

/// <summary>
/// Reads a pair's state without changing anything: the source subvolume, its snapshots, the backups
/// on the target and the records kept beside them, and which subvolumes belong to the pair. A fixed
/// number of commands per location, however many snapshots there are.
/// </summary>
internal sealed class PairScanner(IBtrfsHost host, IBtrfsHost targetHost, SubvolumeListings? listings = null)
{
    /// <summary>A scanner for pairs whose locations are all on <paramref name="host"/>.</summary>
    public PairScanner(IBtrfsHost host)
        : this(host, host)
    {
    }

    /// <exception cref="BackupException">The source or snapshot_dir cannot be used; the message names the path.</exception>
    public async Task<PairInventory> ScanAsync(BackupPair pair, ScanScope scope, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(scope);
        var (source, sourceReal, sourceFilesystem) = await ScanSourceAsync(pair, cancellation);
        var sourceSubvolumes = await ListAsync(host, sourceFilesystem, cancellation);
        var (snapshots, snapshotDirReal) = await ScanSnapshotDirAsync(pair, source, sourceFilesystem, sourceSubvolumes, scope.Zone, cancellation);
        var nested = await NestedSubvolumesAsync(pair, sourceReal, snapshotDirReal ?? pair.SnapshotDir, sourceSubvolumes, scope, cancellation);
        var target = await ScanTargetAsync(pair, source, snapshots, sourceFilesystem, scope.Zone, cancellation);
        var sent = target.Status == TargetStatus.Reachable
            ? target.Sent
            : target.Status == TargetStatus.NotConfigured ? null : await ReadSentFromSourceAsync(pair, snapshots, cancellation);
        return new PairInventory(pair, source, snapshots, target.Status, target.Reason, target.Location)
        {
            TargetRecord = target.Record,
            SentSnapshots = sent,
            NestedSubvolumes = nested,
            SnapshotDirExists = snapshotDirReal is not null,
            TargetFilesystem = target.Filesystem,
            SnapshotDirInSource = IsInSubvolume(snapshotDirReal ?? pair.SnapshotDir, sourceReal, sourceSubvolumes),
        };
    }

    // Shared with the other pairs of the run on the same filesystem, when the run keeps listings.
    private Task<IReadOnlyList<SubvolumeInfo>> ListAsync(IBtrfsHost on, MountedFilesystem filesystem, CancellationToken cancellation) =>
        listings is null ? on.ListSubvolumesAsync(filesystem, cancellation) : listings.ListAsync(on, filesystem, cancellation);

    // Below the subvolume's root and in no subvolume nested in it: a change there is a change of that subvolume.
    private static bool IsInSubvolume(string path, string subvolumeRoot, IReadOnlyList<SubvolumeInfo> subvolumes) =>
        IsBelow(path, subvolumeRoot)
        && !subvolumes.Any(nested => IsBelow(nested.Path, subvolumeRoot) && (path == nested.Path || IsBelow(path, nested.Path)));

    private async Task<(SubvolumeInfo Source, string Real, MountedFilesystem Filesystem)> ScanSourceAsync(BackupPair pair, CancellationToken cancellation)
    {
        var state = await host.InspectAsync(pair.Source, cancellation);
        if (!state.IsDirectory)
        {
            throw new BackupException(state.NotADirectory is { } what
                ? $"source {pair.SourceLocation} is {what}, not a subvolume"
                : $"source {pair.SourceLocation} does not exist or is not a directory");
        }

        var filesystem = await host.FindFilesystemAsync(state.RealPath!, cancellation);
        if (!filesystem.IsBtrfs)
        {
            throw new BackupException($"source {pair.SourceLocation} is on a filesystem of type {filesystem.Type}, not btrfs");
        }

        if (pair.SnapshotWhen == SnapshotWhen.Changed)
        {
            // Writes reach the source's generation only when their transaction commits: commit them first, so none is missed.
            try
            {
                await (listings is null ? host.SyncFilesystemAsync(pair.Source, cancellation) : listings.SyncAsync(host, filesystem, pair.Source, cancellation));
            }
            catch (BackupException e)
            {
                throw new BackupException($"source {pair.SourceLocation}: its pending writes could not be committed (btrfs filesystem sync, for snapshot_when = \"changed\"). {e.Message}", e);
            }
        }

        SubvolumeInfo source;
        try
        {
            source = await host.ShowSubvolumeAsync(pair.Source, cancellation);
        }
        catch (BackupException e)
        {
            throw new BackupException($"source {pair.SourceLocation} is not a btrfs subvolume (only subvolumes can be snapshotted). {e.Message}", e);
        }

        if (source.ReceivedUuid is not null)
        {
            throw new BackupException(
                $"source {pair.SourceLocation} is itself a received subvolume (Received UUID {source.ReceivedUuid}); " +
                "its snapshots would be mistaken for backups. Snapshot it into a fresh subvolume first, or remove its Received UUID");
        }

        return (source, state.RealPath!, filesystem);
    }

    // The real path is null while the snapshot_dir does not exist yet.
    private async Task<(SnapshotLocation Snapshots, string? Real)> ScanSnapshotDirAsync(
        BackupPair pair,
        SubvolumeInfo source,
        MountedFilesystem sourceFilesystem,
        IReadOnlyList<SubvolumeInfo> subvolumes,
        TimeZoneInfo zone,
        CancellationToken cancellation)
    {
        var state = await host.InspectAsync(pair.SnapshotDir, cancellation);
        if (state.NotADirectory is { } what)
        {
            throw new BackupException($"snapshot_dir {pair.SnapshotDirLocation} exists but is {what}, not a directory");
        }

        // A snapshot_dir not made yet is fine (the snapshot step creates it), if it will land on the source's filesystem.
        var filesystem = await host.FindFilesystemAsync(state.NearestExistingFolder, cancellation);
        if (!filesystem.IsSameFilesystemAs(sourceFilesystem))
        {
            throw new BackupException(
                $"snapshot_dir {pair.SnapshotDirLocation} is not on the same btrfs filesystem as source {pair.SourceLocation} " +
                $"({state.NearestExistingFolder} is on {filesystem.Type} mounted at {filesystem.MountPoint}); btrfs can only snapshot within one filesystem");
        }

        if (!state.IsDirectory)
        {
            return (SnapshotLocation.Empty(pair.SnapshotDir), null);
        }

        var inside = ChildrenOf(state.RealPath!, pair.SnapshotDir, subvolumes);
        return (SnapshotLocation.OfSnapshots(pair.SnapshotDir, inside, source.Uuid, zone), state.RealPath!);
    }

    private async Task<TargetScan> ScanTargetAsync(
        BackupPair pair,
        SubvolumeInfo source,
        SnapshotLocation snapshots,
        MountedFilesystem sourceFilesystem,
        TimeZoneInfo zone,
        CancellationToken cancellation)
    {
        if (pair.Target is not { } targetPath)
        {
            return TargetScan.Unusable(TargetStatus.NotConfigured, "no target configured (snapshot-only pair)");
        }

        PathState state;
        try
        {
            state = await targetHost.InspectAsync(targetPath, cancellation);
        }
        catch (Remote.SshUnreachableException e)
        {
            // Like a backup disk that is not plugged in: snapshots go on, sending waits for the machine.
            return TargetScan.Unusable(TargetStatus.Missing, $"target {pair.TargetLocation} cannot be reached now: {e.Message}");
        }

        if (state.NotADirectory is { } what)
        {
            return TargetScan.Unusable(TargetStatus.Missing, $"target {pair.TargetLocation} is {what}, not a directory");
        }

        if (!state.IsDirectory)
        {
            return TargetScan.Unusable(TargetStatus.Missing, $"target {pair.TargetLocation} does not exist (is the backup disk mounted?)");
        }

        // The record is read beside the filesystem's questions (over ssh, in the same round trips); what it
        // says counts only once the target is known to be usable.
        var reading = ReadTargetRecordAsync(TargetRecord.PathIn(targetPath), cancellation);
        try
        {
            return await ScanUsableTargetAsync(pair, state.RealPath!, source, snapshots, sourceFilesystem, zone, reading, cancellation);
        }
        finally
        {
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<TargetScan> ScanUsableTargetAsync(
        BackupPair pair,
        string targetReal,
        SubvolumeInfo source,
        SnapshotLocation snapshots,
        MountedFilesystem sourceFilesystem,
        TimeZoneInfo zone,
        Task<(TargetRecord? Record, string? Refusal)> reading,
        CancellationToken cancellation)
    {
        var targetPath = pair.Target!;
        var filesystem = await targetHost.FindFilesystemAsync(targetReal, cancellation);
        if (!filesystem.IsBtrfs)
        {
            return TargetScan.Unusable(TargetStatus.NotBtrfs, $"target {pair.TargetLocation} is on a filesystem of type {filesystem.Type}, not btrfs", filesystem);
        }

        if (filesystem.IsSameFilesystemAs(sourceFilesystem))
        {
            return TargetScan.Unusable(TargetStatus.OnSourceFilesystem,
                $"target {pair.TargetLocation} is on the source's own filesystem: the backup disk is probably not mounted at {targetPath}", filesystem);
        }

        var inside = ChildrenOf(targetReal, targetPath, await ListAsync(targetHost, filesystem, cancellation));
        var (record, refusal) = await reading;
        if (refusal is not null)
        {
            return TargetScan.Unusable(TargetStatus.Refused, $"target {pair.TargetLocation} cannot be trusted: {refusal}", filesystem);
        }

        // Across machines there is no "same filesystem as the source" to betray an unmounted disk: a target
        // with no record and nothing in it, for a pair whose snapshot_dir says backups were sent, is one.
        if (record is null && inside.Count == 0 && pair.TargetAccess != pair.SourceAccess
            && await ReadSentFromSourceAsync(pair, snapshots, cancellation) is { Count: > 0 } sentBefore)
        {
            return TargetScan.Unusable(TargetStatus.Missing,
                $"target {pair.TargetLocation} holds no record and none of the {sentBefore.Count} backups sent before (is the backup disk mounted there?); " +
                $"if they were removed on purpose, delete {SourceRecord.PathIn(pair.SnapshotDir)} to start again with a full send", filesystem);
        }

        var view = Lineage.Target(pair, host.MachineName, source, snapshots, inside, record, zone);
        return new TargetScan(view.Status, view.Reason, view.Location, filesystem, view.Record, view.Sent);
    }

    private async Task<(TargetRecord? Record, string? Refusal)> ReadTargetRecordAsync(string recordPath, CancellationToken cancellation)
    {
        try
        {
            return (await targetHost.ReadRecordAsync(recordPath, cancellation) is { } text ? TargetRecord.Parse(text, recordPath) : null, null);
        }
        catch (BackupException e)
        {
            return (null, e.Message);
        }
    }

    // While the target is away, what was sent is known from the record in the snapshot_dir.
    private async Task<IReadOnlySet<Guid>?> ReadSentFromSourceAsync(BackupPair pair, SnapshotLocation snapshots, CancellationToken cancellation)
    {
        var path = SourceRecord.PathIn(pair.SnapshotDir);
        var record = await host.ReadRecordAsync(path, cancellation) is { } text ? SourceRecord.Parse(text, path)
            : await host.ReadRecordAsync(SourceRecord.LegacyPathIn(pair.SnapshotDir), cancellation) is { } legacy ? SourceRecord.ParseLegacy(legacy)
            : null;
        return Lineage.SentFromSource(record, snapshots);
    }

    // Nested subvolumes are not in a snapshot of the source. Leave out what is accounted for: the pair's
    // own snapshots, other pairs' sources and snapshot directories, and the ones the user acknowledged.
    private async Task<List<string>> NestedSubvolumesAsync(
        BackupPair pair,
        string sourceReal,
        string snapshotDirReal,
        IReadOnlyList<SubvolumeInfo> subvolumes,
        ScanScope scope,
        CancellationToken cancellation)
    {
        var accounted = new List<string> { snapshotDirReal };
        var others = scope.Pairs
            .Where(other => other.Name != pair.Name && other.SourceAccess == pair.SourceAccess)
            .SelectMany(other => new[] { other.Source, other.SnapshotDir });
        foreach (var path in others.Concat(pair.IgnoreNested))
        {
            accounted.Add((await host.InspectAsync(path, cancellation)).RealPath ?? path);
        }

        var nested = subvolumes
            .Select(subvolume => subvolume.Path)
            .Where(path => IsBelow(path, sourceReal) && !accounted.Any(covered => path == covered || IsBelow(path, covered)))
            .Order(StringComparer.Ordinal)
            .ToList();
        return nested.Where(path => !nested.Any(outer => IsBelow(path, outer))).ToList();
    }

    private static bool IsBelow(string path, string folder) =>
        path.StartsWith(folder == "/" ? "/" : folder + "/", StringComparison.Ordinal) && path != folder;

    // The subvolumes directly in a directory, named by the configured spelling of that directory.
    private static List<SubvolumeInfo> ChildrenOf(string realDirectory, string configuredDirectory, IReadOnlyList<SubvolumeInfo> subvolumes) =>
        subvolumes
            .Where(subvolume => Path.GetDirectoryName(subvolume.Path) == realDirectory)
            .Select(subvolume => subvolume with { Path = Path.Combine(configuredDirectory, Path.GetFileName(subvolume.Path)) })
            .ToList();

    private sealed record TargetScan(
        TargetStatus Status,
        string Reason,
        SnapshotLocation? Location,
        MountedFilesystem? Filesystem,
        TargetRecord? Record,
        IReadOnlySet<Guid>? Sent)
    {
        public static TargetScan Unusable(TargetStatus status, string reason, MountedFilesystem? filesystem = null) =>
            new(status, reason, null, filesystem, null, null);
    }
}
