using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>The snapshot a run takes: its name, where it goes, and the command that makes it.</summary>
internal sealed record SnapshotPlan(SnapshotName Name, string Path, bool CreatesSnapshotDir, PlannedStep Step)
{
    /// <summary>Plans a read-only snapshot of the pair's source named for <paramref name="localNow"/>.</summary>
    /// <exception cref="BackupException">A subvolume of that name already exists, or the suffix is invalid.</exception>
    public static SnapshotPlan For(PairInventory inventory, DateTimeOffset localNow, string? suffix)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var pair = inventory.Pair;
        var name = SnapshotName.Create(localNow, suffix);
        var path = System.IO.Path.Combine(pair.SnapshotDir, name.ToString());
        if (inventory.SnapshotDir.Contains(name.ToString()))
        {
            throw new BackupException($"snapshot {path} already exists; refusing to overwrite it");
        }

        return new SnapshotPlan(
            name,
            path,
            !inventory.SnapshotDirExists,
            new PlannedStep(BtrfsCommand.CreateReadOnlySnapshot(pair.Source, path), $"read-only snapshot of {pair.Source}"));
    }
}
