using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scanning;

[TestFixture]
[Category("RealBtrfs")]
public sealed class PairScannerTests : RealBtrfsFixture
{

    [Test]
    public async Task Sees_snapshots_backups_incomplete_receives_and_foreign_subvolumes()
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

        var inventory = await PairScanner.ScanAsync(pair, CancellationToken.None);

        Assert.That(inventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()),
            Is.EqualTo(new[] { "2026-11-20T03:00:00", "2026-11-21T03:00:00-pre-upgrade" }));
        Assert.That(inventory.SnapshotDir.Snapshots.All(snapshot => snapshot.Subvolume.IsReadOnly && snapshot.Subvolume.ParentUuid == inventory.Source.Uuid));
        Assert.That(inventory.SnapshotDir.Foreign.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "my own snapshot" }));
        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.Reachable));
        Assert.That(inventory.Target!.Snapshots, Has.Count.EqualTo(1));
        Assert.That(inventory.Target.Snapshots[0].ReceivedUuid, Is.EqualTo(inventory.SnapshotDir.Snapshots[0].Uuid));
        Assert.That(inventory.Target.Incomplete.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "2026-11-21T03:00:00-pre-upgrade" }));
        Assert.That(inventory.Target.Foreign.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "lost+found-ish" }));
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

        var homeInventory = await PairScanner.ScanAsync(home, CancellationToken.None);
        var rootInventory = await PairScanner.ScanAsync(root, CancellationToken.None);

        Assert.That(homeInventory.SnapshotDir.Snapshots.Single().Subvolume.ParentUuid, Is.EqualTo(homeInventory.Source.Uuid));
        Assert.That(rootInventory.SnapshotDir.Snapshots.Single().Subvolume.ParentUuid, Is.EqualTo(rootInventory.Source.Uuid));
        Assert.That(homeInventory.Source.Uuid, Is.Not.EqualTo(rootInventory.Source.Uuid));
    }

    [Test]
    public async Task A_plain_directory_as_source_is_refused_with_the_pair_and_path()
    {
        var pair = PairLayout.Create(Sandbox) with { Source = Path.Combine(Sandbox.Filesystems[0].MountPoint, "plain") };
        Directory.CreateDirectory(pair.Source);

        var error = await Assert.ThrowsAsync<BackupException>(() => PairScanner.ScanAsync(pair, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"Pair 'home': source {pair.Source} is not a btrfs subvolume"));
    }

    [Test]
    public async Task A_target_on_the_source_filesystem_is_not_reachable()
    {
        var pair = PairLayout.Create(Sandbox) with { Target = Path.Combine(Sandbox.Filesystems[0].MountPoint, "unplugged") };
        Directory.CreateDirectory(pair.Target!);

        var inventory = await PairScanner.ScanAsync(pair, CancellationToken.None);

        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.OnSourceFilesystem));
        Assert.That(inventory.Target, Is.Null);
    }

    [Test]
    public async Task Scans_a_thousand_snapshots_in_well_under_a_second()
    {
        var pair = PairLayout.Create(Sandbox);
        Directory.CreateDirectory(pair.SnapshotDir);
        var start = new DateTime(2026, 1, 1, 3, 0, 0);
        var script = string.Join('\n', Enumerable.Range(0, 1000).Select(index =>
            $"btrfs subvolume snapshot -r '{pair.Source}' '{pair.SnapshotDir}/{start.AddHours(index):yyyy-MM-dd'T'HH:mm:ss}' >/dev/null"));
        var scriptFile = Path.Combine(Sandbox.Root, "make-snapshots.sh");
        File.WriteAllText(scriptFile, script);
        Shell.Run("sh", scriptFile);

        await PairScanner.ScanAsync(pair, CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var inventory = await PairScanner.ScanAsync(pair, CancellationToken.None);
        watch.Stop();

        Assert.That(inventory.SnapshotDir.Snapshots, Has.Count.EqualTo(1000));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)), "a scan must cost a constant number of processes, not one per snapshot");
    }

    private static Task SendAsync(string snapshot, string targetDirectory) =>
        Shell.RunAsync("sh", ["-c", "btrfs send \"$1\" 2>/dev/null | btrfs receive \"$2\"", "sh", snapshot, targetDirectory]);
}
