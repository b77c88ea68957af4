using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// Sources and snapshot directories that cannot be used, on real btrfs, run in process as the
/// nightly job runs them: the pair fails at its scan with the message, and nothing on disk changes.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class PathInputTests : RealBtrfsFixture
{
    private BackupPair home = null!;
    private RecordingLog log = null!;

    private string System => Sandbox.Filesystems[0].MountPoint;

    private string Backup => Sandbox.Filesystems[1].MountPoint;

    [SetUp]
    public void CreatePairs()
    {
        home = PairLayout.Create(Sandbox);
        log = new RecordingLog();
    }

    [Test]
    public void A_source_that_does_not_exist_is_refused()
    {
        var pair = home with { Source = Path.Combine(System, "missing") };

        AssertFailsAtScan(pair, $"source {pair.Source} does not exist or is not a directory");
    }

    [Test]
    public void A_source_that_is_a_regular_file_is_refused()
    {
        var pair = home with { Source = Path.Combine(System, "a-file") };
        File.WriteAllText(pair.Source, "not a directory\n");

        AssertFailsAtScan(pair, $"source {pair.Source} is a regular file, not a subvolume");
    }

    [Test]
    public void A_source_that_is_a_plain_directory_is_refused()
    {
        var pair = home with { Source = Directory.CreateDirectory(Path.Combine(System, "plain")).FullName };

        AssertFailsAtScan(pair,
            $"source {pair.Source} is not a btrfs subvolume (only subvolumes can be snapshotted). " +
            $"`btrfs subvolume show {pair.Source}` failed with exit code 1: ERROR: Not a Btrfs subvolume: Invalid argument");
    }

    [Test]
    public void A_source_on_a_filesystem_other_than_btrfs_is_refused()
    {
        var pair = home with { Source = Directory.CreateDirectory(Path.Combine(Sandbox.Root, "not-btrfs")).FullName };

        AssertFailsAtScan(pair, $"source {pair.Source} is on a filesystem of type {FilesystemType(Sandbox.Root)}, not btrfs");
    }

    [Test]
    public void A_source_that_is_a_received_read_only_subvolume_is_refused()
    {
        var (received, receivedUuid) = ReceiveARestoredBackup();
        var pair = home with { Source = received };

        AssertFailsAtScan(pair, ReceivedSourceMessage(received, receivedUuid));
    }

    [Test]
    public void A_source_that_is_a_received_subvolume_made_writable_keeping_its_Received_UUID_is_refused()
    {
        var (received, receivedUuid) = ReceiveARestoredBackup();
        ReceivedSubvolume.MakeWritableKeepingReceivedUuid(received);
        var shown = SubvolumeShowParser.Parse(received, Shell.Run("btrfs", "subvolume", "show", received));
        Assert.That((shown.IsReadOnly, shown.ReceivedUuid), Is.EqualTo((false, (Guid?)receivedUuid)), "set up: writable, Received UUID kept");
        var pair = home with { Source = received };

        AssertFailsAtScan(pair, ReceivedSourceMessage(received, receivedUuid));
    }

    [Test]
    public void A_snapshot_dir_on_another_btrfs_filesystem_is_refused()
    {
        var pair = home with { SnapshotDir = Directory.CreateDirectory(Path.Combine(Backup, "snapshots")).FullName };

        AssertFailsAtScan(pair, OtherFilesystemMessage(pair, pair.SnapshotDir, "btrfs", Backup));
    }

    [Test]
    public void A_snapshot_dir_on_a_filesystem_other_than_btrfs_is_refused()
    {
        var pair = home with { SnapshotDir = Directory.CreateDirectory(Path.Combine(Sandbox.Root, "snapshots")).FullName };

        AssertFailsAtScan(pair, OtherFilesystemMessage(pair, pair.SnapshotDir, FilesystemType(Sandbox.Root), MountPointOf(Sandbox.Root)));
    }

    [Test]
    public void A_snapshot_dir_not_made_yet_whose_nearest_folder_is_on_another_filesystem_is_refused()
    {
        var pair = home with { SnapshotDir = Path.Combine(Backup, "not", "made", "yet") };

        AssertFailsAtScan(pair, OtherFilesystemMessage(pair, Backup, "btrfs", Backup));
    }

    [Test]
    public void A_snapshot_dir_that_is_a_symlink_to_another_filesystem_is_refused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(Backup, "snapshots")).FullName;
        var link = Path.Combine(System, "snapshots-link");
        File.CreateSymbolicLink(link, elsewhere);
        var pair = home with { SnapshotDir = link };

        AssertFailsAtScan(pair, OtherFilesystemMessage(pair, elsewhere, "btrfs", Backup));
    }

    [Test]
    public void A_snapshot_dir_that_is_a_dangling_symlink_fails_the_pair_with_a_message_naming_it()
    {
        var link = Path.Combine(System, "snapshots-link");
        File.CreateSymbolicLink(link, Path.Combine(System, "nowhere"));
        var pair = home with { SnapshotDir = link };
        var before = DiskState.Capture(Sandbox);

        PairRun? state = null;
        Exception? escaped = null;
        try
        {
            state = NightlyDriver.Run(Sandbox.Now(), log, pair).Pairs[0];
        }
        catch (IOException e)
        {
            escaped = e;
        }

        Assert.That(escaped, Is.Null, "every failure is reported as the pair's failure, not thrown past it");
        Assert.That(state!.HasFailed, Is.True, log.ToString());
        Assert.That(state.FailureCause, Does.Contain($"snapshot_dir {link}"));
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    [Test]
    public async Task A_target_that_is_a_read_only_subvolume_fails_the_send_and_leaves_nothing_behind()
    {
        var pair = home with { Target = BtrfsSandbox.CreateSubvolume(Path.Combine(Backup, "read-only-target")) };
        Shell.Run("btrfs", "property", "set", "-ts", pair.Target!, "ro", "true");
        var name = TakeSnapshot(pair, "2026-11-20T03:00:00");
        var before = DiskState.Capture(Sandbox);

        var state = NightlyDriver.Run(Sandbox.Now(), log, [BackupStep.Scan, BackupStep.Send], new BackupRunOptions(), pair).Pairs[0];

        Assert.That(state.FailedStep, Is.EqualTo(BackupStep.Send), log.ToString());
        // The record of the receive about to start cannot be written, so the receive never starts.
        Assert.That(state.FailureCause, Is.EqualTo($"sending {name} did not start: cannot write {pair.Target}/.btrfsbackup-target.json: Read-only file system; nothing was sent"));
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing received, nothing recorded");
        Assert.That((await Scans.OfAsync(pair)).Target!.Incomplete, Is.Empty);
    }

    [Test]
    public async Task A_foreign_subvolume_with_a_newline_in_its_name_is_listed_as_foreign()
    {
        TakeSnapshot(home, "2026-11-20T03:00:00");
        BtrfsSandbox.CreateSubvolume(Path.Combine(home.SnapshotDir, "foreign\nname"));

        PairInventory? inventory = null;
        BackupException? failure = null;
        try
        {
            inventory = await Scans.OfAsync(home);
        }
        catch (BackupException e)
        {
            failure = e;
        }

        Assert.That(failure, Is.Null, "the scan lists the odd name instead of failing");
        Assert.That(inventory!.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()), Is.EqualTo(new[] { "2026-11-20T03:00:00" }));
        Assert.That(inventory.SnapshotDir.Foreign.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "foreign\nname" }));
    }

    private void AssertFailsAtScan(BackupPair pair, string message)
    {
        var before = DiskState.Capture(Sandbox);

        var state = NightlyDriver.Run(Sandbox.Now(), log, pair).Pairs[0];

        Assert.That(state.FailedStep, Is.EqualTo(BackupStep.Scan), log.ToString());
        Assert.That(state.FailureCause, Is.EqualTo(message));
        Assert.That(state.Skipped, Is.EqualTo(new[]
        {
            "Snapshot: the pair failed at Scan",
            "Send: the pair failed at Scan",
            "Purge: the pair failed at Scan",
        }));
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "no snapshot made, nothing received or deleted");
    }

    private (string Path, Guid ReceivedUuid) ReceiveARestoredBackup()
    {
        // A backup made elsewhere (on the backup disk) and restored into the system disk.
        var origin = BtrfsSandbox.CreateSubvolume(Path.Combine(Backup, "origin"));
        File.WriteAllText(Path.Combine(origin, "data.txt"), "restored\n");
        var originSnapshot = Path.Combine(Backup, "restored-home");
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", origin, originSnapshot);
        var uuid = SubvolumeShowParser.Parse(originSnapshot, Shell.Run("btrfs", "subvolume", "show", originSnapshot)).Uuid;
        var received = ReceivedSubvolume.Receive(originSnapshot, Directory.CreateDirectory(Path.Combine(System, "restore")).FullName);
        return (received, uuid);
    }

    private static string ReceivedSourceMessage(string source, Guid receivedUuid) =>
        $"source {source} is itself a received subvolume (Received UUID {receivedUuid}); " +
        "its snapshots would be mistaken for backups. Snapshot it into a fresh subvolume first, or remove its Received UUID";

    private static string OtherFilesystemMessage(BackupPair pair, string existing, string type, string mountPoint) =>
        $"snapshot_dir {pair.SnapshotDir} is not on the same btrfs filesystem as source {pair.Source} " +
        $"({existing} is on {type} mounted at {mountPoint}); btrfs can only snapshot within one filesystem";

    private static string TakeSnapshot(BackupPair pair, string name)
    {
        Directory.CreateDirectory(pair.SnapshotDir);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, name));
        return name;
    }

    /// <summary>The type of the filesystem <paramref name="path"/> is on, which these cases need to be other than btrfs.</summary>
    internal static string FilesystemType(string path)
    {
        var type = Shell.Run("findmnt", "-n", "-o", "FSTYPE", "--target", path).Trim();
        Assume.That(type, Is.Not.EqualTo("btrfs"), $"{path} must be on a filesystem other than btrfs for this case");
        return type;
    }

    internal static string MountPointOf(string path) => Shell.Run("findmnt", "-n", "-o", "TARGET", "--target", path).Trim();
}
