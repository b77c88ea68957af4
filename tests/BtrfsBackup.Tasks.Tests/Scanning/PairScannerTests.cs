using BtrfsBackup.Hosts;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scanning;

[TestFixture]
[Category("RealBtrfs")]
public sealed class PairScannerTests : RealBtrfsFixture
{

    [Test]
    public async Task Sees_snapshots_backups_writable_and_foreign_subvolumes()
    {
        var pair = PairLayout.Create(Sandbox);
        Directory.CreateDirectory(pair.SnapshotDir);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, "2026-11-20T03:00:00"));
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, "2026-11-21T03:00:00-pre-upgrade"));
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, "my own snapshot"));
        Directory.CreateDirectory(Path.Combine(pair.SnapshotDir, "2026-11-22T03:00:00"));
        await SendAsync(Path.Combine(pair.SnapshotDir, "2026-11-20T03:00:00"), pair.Target!);
        BtrfsSandbox.CreateSubvolume(Path.Combine(pair.Target!, "2026-11-21T03:00:00-pre-upgrade"));
        BtrfsSandbox.CreateSubvolume(Path.Combine(pair.Target!, "lost+found-ish"));

        var inventory = await Scans.OfAsync(pair);

        Assert.That(inventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()),
            Is.EqualTo(new[] { "2026-11-20T03:00:00", "2026-11-21T03:00:00-pre-upgrade" }));
        Assert.That(inventory.SnapshotDir.Snapshots.All(snapshot => snapshot.Subvolume.IsReadOnly && snapshot.Subvolume.ParentUuid == inventory.Source.Uuid));
        Assert.That(inventory.SnapshotDir.Foreign.Select(foreign => (foreign.Name, foreign.Reason)), Is.EqualTo(new[] { ("my own snapshot", "not a snapshot name") }));
        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.Reachable));
        Assert.That(inventory.Target!.Snapshots, Has.Count.EqualTo(1));
        Assert.That(inventory.Target.Snapshots[0].ReceivedUuid, Is.EqualTo(inventory.SnapshotDir.Snapshots[0].Uuid));
        Assert.That(inventory.Target.Incomplete, Is.Empty, "no record names a receive under way");
        Assert.That(inventory.Target.Writable.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "2026-11-21T03:00:00-pre-upgrade" }));
        Assert.That(inventory.Target.Foreign.Select(foreign => (foreign.Name, foreign.Reason)), Is.EqualTo(new[] { ("lost+found-ish", "not a backup name") }));
    }

    [Test]
    public async Task Tells_pairs_apart_when_their_snapshot_dirs_share_a_subvolume_and_names()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        foreach (var pair in new[] { home, root })
        {
            Directory.CreateDirectory(pair.SnapshotDir);
            Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, "2026-11-20T03:00:00"));
        }

        var homeInventory = await Scans.OfAsync(home, home, root);
        var rootInventory = await Scans.OfAsync(root, home, root);

        Assert.That(homeInventory.SnapshotDir.Snapshots.Single().Subvolume.ParentUuid, Is.EqualTo(homeInventory.Source.Uuid));
        Assert.That(rootInventory.SnapshotDir.Snapshots.Single().Subvolume.ParentUuid, Is.EqualTo(rootInventory.Source.Uuid));
        Assert.That(homeInventory.Source.Uuid, Is.Not.EqualTo(rootInventory.Source.Uuid));
    }

    [Test]
    public async Task A_plain_directory_as_source_is_refused_with_the_pair_and_path()
    {
        var pair = PairLayout.Create(Sandbox) with { Source = Path.Combine(Sandbox.Filesystems[0].MountPoint, "plain") };
        Directory.CreateDirectory(pair.Source);

        var error = await Assert.ThrowsAsync<BackupException>(() => Scans.OfAsync(pair));

        Assert.That(error!.Message, Does.StartWith($"source {pair.Source} is not a btrfs subvolume"));
    }

    [Test]
    public async Task A_target_on_the_source_filesystem_is_not_reachable()
    {
        var pair = PairLayout.Create(Sandbox) with { Target = Path.Combine(Sandbox.Filesystems[0].MountPoint, "unplugged") };
        Directory.CreateDirectory(pair.Target!);

        var inventory = await Scans.OfAsync(pair);

        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.OnSourceFilesystem));
        Assert.That(inventory.Target, Is.Null);
    }

    [Test]
    public async Task Scanning_a_thousand_snapshots_asks_the_host_as_often_as_scanning_one()
    {
        var pair = PairLayout.Create(Sandbox);
        Directory.CreateDirectory(pair.SnapshotDir);
        var start = new DateTime(2026, 1, 1, 3, 0, 0);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, SnapshotNames.At(start)));
        var one = await CountingHost.ScanAsync(pair);

        var script = string.Join('\n', Enumerable.Range(1, 999).Select(index =>
            $"btrfs subvolume snapshot -r '{pair.Source}' '{pair.SnapshotDir}/{SnapshotNames.At(start.AddHours(index))}' >/dev/null"));
        var scriptFile = Path.Combine(Sandbox.Root, "make-snapshots.sh");
        File.WriteAllText(scriptFile, script);
        Shell.Run("sh", scriptFile);
        var thousand = await CountingHost.ScanAsync(pair);

        Assert.That(thousand.Inventory.SnapshotDir.Snapshots, Has.Count.EqualTo(1000));
        Assert.That(thousand.Calls, Is.EqualTo(one.Calls), "a scan costs a fixed number of commands, not one per snapshot");
        Assert.That(one.Calls.Count(call => call.StartsWith("ListSubvolumes", StringComparison.Ordinal)), Is.EqualTo(2), "one listing of each filesystem");
    }

    private static Task SendAsync(string snapshot, string targetDirectory) =>
        Shell.RunAsync("sh", ["-c", "btrfs send \"$1\" 2>/dev/null | btrfs receive \"$2\"", "sh", snapshot, targetDirectory]);
}
