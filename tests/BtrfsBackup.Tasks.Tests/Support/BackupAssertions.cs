using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tests.Support;

/// <summary>What must hold after any fault: every complete backup intact, nothing incomplete taken for one.</summary>
internal static class BackupAssertions
{
    /// <summary>
    /// Every complete backup on the target has the Received UUID of a source snapshot (while that one
    /// exists) and the same files; <paramref name="incompleteAllowed"/> says whether a leftover incomplete
    /// receive may be there (it is never counted as a backup).
    /// </summary>
    public static async Task<PairInventory> IntactAsync(BackupPair pair, bool incompleteAllowed = false)
    {
        var inventory = await Scans.OfAsync(pair);
        if (inventory.Target is not { } target)
        {
            return inventory;
        }

        foreach (var backup in target.Snapshots)
        {
            Assert.That(backup.Subvolume.IsReadOnly && backup.ReceivedUuid is not null, $"{backup.Path} counted as a backup");
            var source = inventory.SnapshotDir.Snapshots.FirstOrDefault(snapshot => snapshot.Uuid == backup.ReceivedUuid);
            if (source is not null)
            {
                Assert.That(Files.Digests(backup.Path), Is.EqualTo(Files.Digests(source.Path)), $"{backup.Path} differs from {source.Path}");
            }
        }

        if (!incompleteAllowed)
        {
            Assert.That(target.Incomplete.Select(subvolume => subvolume.Path), Is.Empty, "incomplete receives left on the target");
        }

        return inventory;
    }
}
