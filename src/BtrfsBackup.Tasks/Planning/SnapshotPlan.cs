using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>The snapshot a run takes: its name, where it goes, and the command that makes it.</summary>
public sealed record SnapshotPlan(SnapshotName Name, string Path, bool CreatesSnapshotDir, PlannedStep Step)
{
    /// <summary>Plans a read-only snapshot of the pair's source named for <paramref name="localNow"/>.</summary>
    /// <exception cref="BackupException">A subvolume or file of that name already exists, or the suffix is invalid.</exception>
    public static SnapshotPlan For(PairInventory inventory, DateTime localNow, string? suffix)
    {
        var pair = inventory.Pair;
        var name = SnapshotName.Create(localNow, suffix);
        var path = System.IO.Path.Combine(pair.SnapshotDir, name.ToString());
        if (inventory.SnapshotDir.Contains(name))
        {
            throw new BackupException($"Pair '{pair.Name}': snapshot {path} already exists; refusing to overwrite it.");
        }

        // Not a subvolume the scan saw, but a file or directory: btrfs would snapshot *into* a directory.
        if (System.IO.Path.Exists(path))
        {
            throw new BackupException($"Pair '{pair.Name}': {path} already exists (it appeared since the scan, or is not a subvolume); refusing to overwrite it.");
        }

        return new SnapshotPlan(
            name,
            path,
            !Directory.Exists(pair.SnapshotDir),
            new PlannedStep(BtrfsCommand.CreateReadOnlySnapshot(pair.Source, path), $"read-only snapshot of {pair.Source}"));
    }
}
