using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// Inputs that look odd but are valid and must simply work, run in process on real btrfs:
/// a snapshot_dir inside the source, directories reached through symlinks, the top level of a
/// filesystem as the source, a restored backup made writable, suffixes at the edge of the rules.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class ValidOddInputTests : RealBtrfsFixture
{
    private static readonly DateTime FirstNight = new(2026, 11, 20, 3, 0, 0);
    private static readonly DateTime SecondNight = new(2026, 11, 21, 3, 0, 0);
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
    public async Task A_snapshot_dir_inside_the_source_works_and_later_snapshots_hold_only_an_empty_directory_where_earlier_ones_were()
    {
        var pair = home with { SnapshotDir = Path.Combine(home.Source, ".snapshots") };

        var first = Night(pair, FirstNight);
        var second = Night(pair, SecondNight);

        Assert.That((first.HasFailed, second.HasFailed), Is.EqualTo((false, false)), log.ToString());
        var inventory = await Scans.OfAsync(pair);
        Assert.That(Names(inventory.SnapshotDir), Is.EqualTo(new[] { SnapshotNames.At(FirstNight), SnapshotNames.At(SecondNight) }));
        Assert.That(inventory.SnapshotDir.Foreign, Is.Empty);
        Assert.That(Names(inventory.Target!), Is.EqualTo(Names(inventory.SnapshotDir)));
        Assert.That(inventory.Target!.Snapshots.Select(backup => backup.ReceivedUuid), Is.EqualTo(inventory.SnapshotDir.Snapshots.Select(snapshot => (Guid?)snapshot.Uuid)));
        Assert.That(second.Sends.Single().Send.Kind, Is.EqualTo($"incremental from {SnapshotNames.At(FirstNight)}"));

        // The second snapshot holds an empty directory where the first one sits: no copy, no subvolume.
        var later = inventory.SnapshotDir.Snapshots[1].Path;
        var placeholder = Path.Combine(later, ".snapshots", SnapshotNames.At(FirstNight));
        Assert.That(Directory.GetDirectories(Path.Combine(later, ".snapshots")), Is.EqualTo(new[] { placeholder }));
        Assert.That(Directory.GetFileSystemEntries(placeholder), Is.Empty, placeholder);
        Assert.That(Shell.TryRun("btrfs", "subvolume", "show", placeholder).ExitCode, Is.Not.Zero, $"{placeholder} is not a subvolume");

        // btrfs send leaves the placeholder out: the backup holds no trace of the nested snapshots at all.
        Assert.That(Directory.GetDirectories(Path.Combine(inventory.Target.Snapshots[1].Path, ".snapshots")), Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(inventory.SnapshotDir.Snapshots[0].Path, ".snapshots")), Is.Empty);
        Assert.That(SubvolumeCount(System), Is.EqualTo(3), "the source and its two snapshots, nothing nested copied");
        Assert.That(SubvolumeCount(Backup), Is.EqualTo(2), "two backups, nothing nested received");
    }

    [Test]
    public async Task A_snapshot_dir_reached_through_a_symlink_works()
    {
        var real = Directory.CreateDirectory(Path.Combine(System, "real-snapshots")).FullName;
        var link = Path.Combine(Sandbox.Root, "snapshots-link");
        File.CreateSymbolicLink(link, real);
        var pair = home with { SnapshotDir = link };

        var night = Night(pair, FirstNight);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        Assert.That(night.SnapshotCreated, Is.EqualTo(Path.Combine(link, SnapshotNames.At(FirstNight))));
        Assert.That(Directory.Exists(Path.Combine(real, SnapshotNames.At(FirstNight))), Is.True);
        var inventory = await Scans.OfAsync(pair);
        Assert.That(Names(inventory.SnapshotDir), Is.EqualTo(new[] { SnapshotNames.At(FirstNight) }));
        Assert.That(Names(inventory.Target!), Is.EqualTo(new[] { SnapshotNames.At(FirstNight) }));
    }

    [Test]
    public async Task A_target_reached_through_a_symlink_works()
    {
        var link = Path.Combine(Sandbox.Root, "backup-link");
        File.CreateSymbolicLink(link, home.Target!);
        var pair = home with { Target = link };

        var night = Night(pair, FirstNight);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        Assert.That(night.Sends.Single().Send.BackupPath, Is.EqualTo(Path.Combine(link, SnapshotNames.At(FirstNight))));
        Assert.That(Directory.Exists(Path.Combine(home.Target!, SnapshotNames.At(FirstNight))), Is.True);
        var inventory = await Scans.OfAsync(pair);
        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.Reachable));
        Assert.That(inventory.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(inventory.SnapshotDir.Snapshots.Single().Uuid));
    }

    [Test]
    public async Task A_source_reached_through_a_symlink_works()
    {
        var link = Path.Combine(Sandbox.Root, "home-link");
        File.CreateSymbolicLink(link, home.Source);
        var pair = home with { Source = link };

        var night = Night(pair, FirstNight);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        var inventory = await Scans.OfAsync(pair);
        Assert.That(inventory.SnapshotDir.Snapshots.Single().Subvolume.ParentUuid, Is.EqualTo(inventory.Source.Uuid));
        Assert.That(File.ReadAllText(Path.Combine(inventory.SnapshotDir.Snapshots.Single().Path, "hello.txt")), Is.EqualTo("hello from home\n"));
    }

    [Test]
    public async Task The_top_level_of_a_filesystem_works_as_a_source_like_the_root_directory()
    {
        var pair = home with { Name = "root", Source = System, SnapshotDir = Path.Combine(System, ".snapshots", "root") };

        var night = Night(pair, FirstNight);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        var inventory = await Scans.OfAsync(pair);
        var snapshot = inventory.SnapshotDir.Snapshots.Single();
        Assert.That(snapshot.Subvolume.ParentUuid, Is.EqualTo(inventory.Source.Uuid));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(snapshot.Path, "home")), Is.Empty, "the nested source is an empty directory in it");
        Assert.That(inventory.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(snapshot.Uuid));
    }

    [Test]
    public async Task A_restored_backup_made_writable_with_btrfs_property_set_force_works_as_a_source()
    {
        // btrfs-progs 6.2 refuses `ro false` on a received subvolume without -f, and with -f clears its Received UUID.
        var origin = BtrfsSandbox.CreateSubvolume(Path.Combine(Backup, "origin"));
        File.WriteAllText(Path.Combine(origin, "data.txt"), "restored\n");
        var snapshot = Path.Combine(Backup, "restored");
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", origin, snapshot);
        var restored = ReceivedSubvolume.Receive(snapshot, Directory.CreateDirectory(Path.Combine(System, "restore")).FullName);
        Assert.That(Shell.TryRun("btrfs", "property", "set", "-ts", restored, "ro", "false").StandardError,
            Does.Contain("cannot flip ro->rw with received_uuid set, use force if you really want that"));
        Shell.Run("btrfs", "property", "set", "-f", "-ts", restored, "ro", "false");
        var pair = home with { Source = restored };

        var night = Night(pair, FirstNight);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        var inventory = await Scans.OfAsync(pair);
        Assert.That((inventory.Source.ReceivedUuid, inventory.Source.IsReadOnly), Is.EqualTo(((Guid?)null, false)));
        Assert.That(inventory.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(inventory.SnapshotDir.Snapshots.Single().Uuid));
    }

    [TestCase("1.0_rc-2", TestName = "Valid_suffix_starting_with_a_digit_with_dots_underscores_and_dashes")]
    [TestCase("Pre-Upgrade", TestName = "Valid_suffix_with_capitals")]
    [TestCase("a", TestName = "Valid_suffix_of_one_character")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", TestName = "Valid_suffix_of_64_characters")]
    public async Task A_suffix_at_the_edge_of_the_rules_names_the_snapshot(string suffix)
    {
        var night = Night(home, FirstNight, suffix);

        Assert.That(night.HasFailed, Is.False, log.ToString());
        var inventory = await Scans.OfAsync(home);
        Assert.That(Names(inventory.SnapshotDir), Is.EqualTo(new[] { SnapshotNames.At(FirstNight, suffix) }));
        Assert.That(Names(inventory.Target!), Is.EqualTo(new[] { SnapshotNames.At(FirstNight, suffix) }));
    }

    private PairRun Night(BackupPair pair, DateTime time, string? suffix = null) =>
        NightlyDriver.Run(Sandbox.At(time), log, [BackupStep.Scan, BackupStep.Snapshot, BackupStep.Send], new BackupRunOptions { Suffix = suffix }, pair).Pairs[0];

    private static string[] Names(SnapshotLocation location) => [.. location.Snapshots.Select(snapshot => snapshot.Name.ToString())];

    private static int SubvolumeCount(string mountPoint) =>
        Shell.Run("btrfs", "subvolume", "list", mountPoint).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
