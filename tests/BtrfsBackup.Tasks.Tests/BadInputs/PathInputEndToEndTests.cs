using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// Targets that cannot take a backup (a skip: exit code 0, the reason, nothing written), snapshot
/// directories that are not directories, directories two pairs share through a symlink, and foreign
/// subvolumes, all through the btrfsbackup program on real btrfs.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class PathInputEndToEndTests : RealBtrfsFixture
{
    private const string FirstNight = "2026-11-20T03:00:00";
    private BackupPair home = null!;

    private string System => Sandbox.Filesystems[0].MountPoint;

    private string Backup => Sandbox.Filesystems[1].MountPoint;

    [SetUp]
    public void CreatePairs()
    {
        home = PairLayout.Create(Sandbox);
        Directory.CreateDirectory(home.SnapshotDir);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, Path.Combine(home.SnapshotDir, FirstNight));
    }

    [Test]
    public void A_target_that_does_not_exist_is_skipped()
    {
        var pair = home with { Target = Path.Combine(Backup, "backup", "missing") };

        AssertSendSkipped(pair, $"target {pair.Target} does not exist (is the backup disk mounted?)");
    }

    [Test]
    public void A_target_that_is_a_regular_file_is_skipped_as_not_a_directory()
    {
        var pair = home with { Target = Path.Combine(Backup, "backup", "a-file") };
        File.WriteAllText(pair.Target!, "not a directory\n");

        AssertSendSkipped(pair, $"target {pair.Target} is a regular file, not a directory");
    }

    [Test]
    public void A_target_on_a_filesystem_other_than_btrfs_is_skipped()
    {
        var pair = home with { Target = Directory.CreateDirectory(Path.Combine(Sandbox.Root, "backup-not-btrfs")).FullName };

        AssertSendSkipped(pair, $"target {pair.Target} is on a filesystem of type {PathInputTests.FilesystemType(Sandbox.Root)}, not btrfs");
    }

    [Test]
    public void A_target_inside_the_source_is_skipped()
    {
        var pair = home with { Target = Directory.CreateDirectory(Path.Combine(home.Source, "backup")).FullName };

        AssertSendSkipped(pair, $"target {pair.Target} is on the source's own filesystem: the backup disk is probably not mounted at {pair.Target}");
    }

    [Test]
    public void A_target_where_the_backup_disk_is_not_mounted_is_skipped()
    {
        var disk = Sandbox.AddFilesystem("usb", 256, Directory.CreateDirectory(Path.Combine(System, "mnt", "usb")).FullName);
        BtrfsSandbox.Unmount(disk);
        var pair = home with { Target = Directory.CreateDirectory(Path.Combine(disk.MountPoint, "home")).FullName };

        AssertSendSkipped(pair, $"target {pair.Target} is on the source's own filesystem: the backup disk is probably not mounted at {pair.Target}");
    }

    [Test]
    public void A_snapshot_dir_that_is_a_regular_file_fails_the_pair_with_a_message_naming_it()
    {
        var pair = home with { SnapshotDir = Path.Combine(System, "snapshots-file") };
        File.WriteAllText(pair.SnapshotDir, "not a directory\n");
        var config = ConfigFile.Write(Sandbox.Root, pair);
        var before = DiskState.Capture(Sandbox);

        var result = Cake("--target=snapshot", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Match(@"Error: 1 of 1 pair\(s\) failed:\s+home at "), result.ToString());
        Assert.That(result.All, Does.Contain($"snapshot_dir {pair.SnapshotDir}"), result.ToString());
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    [Test]
    public void Two_pairs_sharing_a_snapshot_dir_through_a_symlink_are_refused()
    {
        var root = PairLayout.Create(Sandbox, "root");
        var link = Path.Combine(System, "root-snapshots");
        File.CreateSymbolicLink(link, home.SnapshotDir);
        var config = ConfigFile.Write(Sandbox.Root, home, root with { SnapshotDir = link });
        var before = DiskState.Capture(Sandbox);

        var result = Cake("--target=nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain("no two pairs may share a snapshot_dir or target"), result.ToString());
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    [Test]
    public void Two_pairs_sharing_a_target_through_a_symlink_are_refused()
    {
        var root = PairLayout.Create(Sandbox, "root");
        var link = Path.Combine(Backup, "root-backups");
        File.CreateSymbolicLink(link, home.Target!);
        var config = ConfigFile.Write(Sandbox.Root, home, root with { Target = link });
        var before = DiskState.Capture(Sandbox);

        var result = Cake("--target=nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain("no two pairs may share a snapshot_dir or target"), result.ToString());
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    [Test]
    public async Task Foreign_subvolumes_in_the_snapshot_dir_and_on_the_target_are_listed_as_foreign()
    {
        await WithForeignSubvolumesAsync();
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = Cake("--target=list", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain(Row("my own snapshot", "*", string.Empty, "foreign: not a snapshot name, left alone")));
        Assert.That(result.Output, Does.Contain(Row("scratch", "*", string.Empty, "foreign: not a snapshot name, left alone")));
        Assert.That(result.Output, Does.Contain(Row("their backup", string.Empty, "*", "foreign: not a backup name, left alone")));
    }

    [Test]
    public async Task Purge_never_touches_foreign_subvolumes()
    {
        var foreign = await WithForeignSubvolumesAsync();
        var keepOne = new RetentionPolicy(0, 1);
        var pair = home with { SourceRetention = keepOne, TargetRetention = keepOne };
        var config = ConfigFile.Write(Sandbox.Root, pair);

        var result = Cake("--target=purge", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var after = await Scans.OfAsync(pair);
        Assert.That(after.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()), Is.EqualTo(new[] { "2026-11-22T03:00:00" }), "the purge ran");
        Assert.That(after.Target!.Snapshots.Select(snapshot => snapshot.Name.ToString()), Is.EqualTo(new[] { "2026-11-22T03:00:00" }), "the purge ran");
        Assert.That(after.SnapshotDir.Foreign.Concat(after.Target.Foreign).Select(foreign => (foreign.Path, foreign.Subvolume.Uuid)), Is.EquivalentTo(foreign));
        foreach (var (path, _) in foreign)
        {
            Assert.That(result.Output, Does.Not.Contain($"btrfs subvolume delete '{path}'").And.Not.Contain($"btrfs subvolume delete {path}"));
        }
    }

    private void AssertSendSkipped(BackupPair pair, string reason)
    {
        var config = ConfigFile.Write(Sandbox.Root, pair);
        var before = DiskState.Capture(Sandbox);

        var result = Cake("--target=backup", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"Skipping Send:home: {reason}."));
        Assert.That(result.Output, Does.Match(@"Send:home\s+-\s+Skipped\s+target not mounted"));
        Assert.That(result.Output, Does.Contain($"    skipped   Send: {reason}"));
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is written anywhere");
    }

    // Three nights of snapshots, all backed up; foreign subvolumes beside them on both sides.
    private async Task<List<(string Path, Guid Uuid)>> WithForeignSubvolumesAsync()
    {
        foreach (var night in new[] { "2026-11-21T03:00:00", "2026-11-22T03:00:00" })
        {
            Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, Path.Combine(home.SnapshotDir, night));
        }

        var send = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(home), Log = new RecordingLog() };
        Assert.That(send.Run().FailureCause, Is.Null);
        var paths = new[]
        {
            Path.Combine(home.SnapshotDir, "my own snapshot"),
            Path.Combine(home.SnapshotDir, "scratch"),
            Path.Combine(home.Target!, "their backup"),
        };
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, paths[0]);
        BtrfsSandbox.CreateSubvolume(paths[1]);
        BtrfsSandbox.CreateSubvolume(paths[2]);
        return paths.Select(path => (path, SubvolumeShowParser.Parse(path, Shell.Run("btrfs", "subvolume", "show", path)).Uuid)).ToList();
    }

    // The list table's row: name padded to the longest name (a snapshot name), then SOURCE, TARGET and NOTE.
    private static string Row(string name, string source, string target, string note) =>
        $"  {name.PadRight(FirstNight.Length)}  {source,-6}  {target,-6}  {note}\n";
}
