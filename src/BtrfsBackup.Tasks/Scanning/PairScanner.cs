using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Scanning;

/// <summary>
/// Reads a pair's state from disk without changing anything: the source subvolume, its snapshots
/// and the backups on the target. A handful of processes per location, however many snapshots there are.
/// </summary>
public static class PairScanner
{
    /// <exception cref="BackupException">The source or snapshot_dir cannot be used; the message names the pair and path.</exception>
    public static async Task<PairInventory> ScanAsync(BackupPair pair, CancellationToken cancellation)
    {
        var (source, sourceFilesystem) = await ScanSourceAsync(pair, cancellation);
        var snapshots = await ScanSnapshotDirAsync(pair, sourceFilesystem, cancellation);
        var (status, reason, target, targetFilesystem) = await ScanTargetAsync(pair, sourceFilesystem, cancellation);
        return new PairInventory(pair, source, snapshots, status, reason, target)
        {
            LastKnownParent = LastBackupRecord.Read(pair.SnapshotDir),
            TargetFilesystem = targetFilesystem,
        };
    }

    private static async Task<(SubvolumeInfo Source, MountedFilesystem Filesystem)> ScanSourceAsync(BackupPair pair, CancellationToken cancellation)
    {
        if (!Directory.Exists(pair.Source))
        {
            throw new BackupException($"Pair '{pair.Name}': source {pair.Source} does not exist or is not a directory.");
        }

        var filesystem = await BtrfsAdapter.FindFilesystemAsync(pair.Source, cancellation);
        if (!filesystem.IsBtrfs)
        {
            throw new BackupException($"Pair '{pair.Name}': source {pair.Source} is on a filesystem of type {filesystem.Type}, not btrfs.");
        }

        SubvolumeInfo source;
        try
        {
            source = await BtrfsAdapter.ShowSubvolumeAsync(pair.Source, cancellation);
        }
        catch (ExternalCommandException e)
        {
            throw new BackupException(
                $"Pair '{pair.Name}': source {pair.Source} is not a btrfs subvolume (only subvolumes can be snapshotted). {e.Message}", e);
        }

        if (source.ReceivedUuid is not null)
        {
            throw new BackupException(
                $"Pair '{pair.Name}': source {pair.Source} is itself a received subvolume (Received UUID {source.ReceivedUuid}); " +
                "its snapshots would be mistaken for backups. Snapshot it into a fresh subvolume first, or remove its Received UUID.");
        }

        return (source, filesystem);
    }

    private static async Task<SnapshotLocation> ScanSnapshotDirAsync(BackupPair pair, MountedFilesystem sourceFilesystem, CancellationToken cancellation)
    {
        if (NotADirectory(pair.SnapshotDir) is { } what)
        {
            throw new BackupException($"Pair '{pair.Name}': snapshot_dir {pair.SnapshotDir} exists but is {what}, not a directory.");
        }

        // A snapshot_dir not made yet is fine (the snapshot task creates it), if it will land on the source's filesystem.
        var existing = NearestExistingDirectory(pair.SnapshotDir);
        var filesystem = await BtrfsAdapter.FindFilesystemAsync(existing, cancellation);
        if (!filesystem.IsSameFilesystemAs(sourceFilesystem))
        {
            throw new BackupException(
                $"Pair '{pair.Name}': snapshot_dir {pair.SnapshotDir} is not on the same btrfs filesystem as source {pair.Source} " +
                $"({existing} is on {filesystem.Type} mounted at {filesystem.MountPoint}); btrfs can only snapshot within one filesystem.");
        }

        if (existing != pair.SnapshotDir)
        {
            return SnapshotLocation.Empty(pair.SnapshotDir);
        }

        var subvolumes = await BtrfsAdapter.ListSubvolumesInAsync(pair.SnapshotDir, filesystem, cancellation);
        return SnapshotLocation.Classify(pair.SnapshotDir, subvolumes, SnapshotLocation.IsUsableSnapshot);
    }

    private static async Task<(TargetStatus, string, SnapshotLocation?, MountedFilesystem?)> ScanTargetAsync(
        BackupPair pair,
        MountedFilesystem sourceFilesystem,
        CancellationToken cancellation)
    {
        if (pair.Target is null)
        {
            return (TargetStatus.NotConfigured, "no target configured (snapshot-only pair)", null, null);
        }

        if (NotADirectory(pair.Target) is { } what)
        {
            return (TargetStatus.Missing, $"target {pair.Target} is {what}, not a directory", null, null);
        }

        if (!Directory.Exists(pair.Target))
        {
            return (TargetStatus.Missing, $"target {pair.Target} does not exist (is the backup disk mounted?)", null, null);
        }

        var filesystem = await BtrfsAdapter.FindFilesystemAsync(pair.Target, cancellation);
        if (!filesystem.IsBtrfs)
        {
            return (TargetStatus.NotBtrfs, $"target {pair.Target} is on a filesystem of type {filesystem.Type}, not btrfs", null, filesystem);
        }

        if (filesystem.IsSameFilesystemAs(sourceFilesystem))
        {
            return (TargetStatus.OnSourceFilesystem,
                $"target {pair.Target} is on the source's own filesystem: the backup disk is probably not mounted at {pair.Target}", null, filesystem);
        }

        var subvolumes = await BtrfsAdapter.ListSubvolumesInAsync(pair.Target, filesystem, cancellation);
        var target = SnapshotLocation.Classify(pair.Target, subvolumes, SnapshotLocation.IsCompleteBackup);
        return (TargetStatus.Reachable, $"target {pair.Target} is reachable", target, filesystem);
    }

    // "a regular file" or "a symlink to a missing X" when something other than a directory stands at the path.
    private static string? NotADirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return null;
        }

        var entry = new FileInfo(path);
        return entry.LinkTarget is { } link ? $"a symlink to {link}, which does not exist"
            : entry.Exists ? "a regular file"
            : null;
    }

    private static string NearestExistingDirectory(string path)
    {
        var current = path;
        while (!Directory.Exists(current))
        {
            current = Path.GetDirectoryName(current) ?? "/";
        }

        return current;
    }
}
