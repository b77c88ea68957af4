using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// Every procedure of docs/restore.md, on loop devices, through the program as a user runs it: one
/// test per section, named there.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class RestoreTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
    private BackupPair home = null!;
    private string config = null!;

    protected override int FilesystemSizeMiB => 512;

    [SetUp]
    public void CreatePair()
    {
        home = PairLayout.Create(Sandbox) with { SourceRetention = new RetentionPolicy(0, 1), TargetRetention = new RetentionPolicy(0, 10) };
        config = ConfigFile.Write(Sandbox.Root, home);
    }

    [Test]
    public void One_file_is_copied_back_from_a_snapshot_and_from_a_backup()
    {
        File.WriteAllText(Path.Combine(home.Source, "thesis.tex"), "chapter one\n");
        Nightly(FirstNight);
        File.Delete(Path.Combine(home.Source, "thesis.tex"));
        var name = FakeClock.SnapshotName(FirstNight, "UTC");

        Shell.Run("cp", "-a", "--reflink=auto", Path.Combine(home.SnapshotDir, name, "thesis.tex"), Path.Combine(home.Source, "thesis.tex"));
        Shell.Run("cp", "-a", Path.Combine(home.Target!, name, "thesis.tex"), Path.Combine(home.Source, "from-backup.tex"));

        Assert.That(File.ReadAllText(Path.Combine(home.Source, "thesis.tex")), Is.EqualTo("chapter one\n"));
        Assert.That(File.ReadAllText(Path.Combine(home.Source, "from-backup.tex")), Is.EqualTo("chapter one\n"));
    }

    [Test]
    public async Task A_whole_subvolume_is_restored_beside_the_live_one_and_the_next_nightly_ignores_it()
    {
        File.WriteAllText(Path.Combine(home.Source, "draft.txt"), "version 1\n");
        Nightly(FirstNight);
        var first = Files.Digests(Path.Combine(home.SnapshotDir, FakeClock.SnapshotName(FirstNight, "UTC")));
        File.WriteAllText(Path.Combine(home.Source, "draft.txt"), "version 2\n");
        Nightly(FirstNight.AddDays(1));
        var system = Sandbox.Filesystems[0].MountPoint;
        var to = Path.Combine(system, "home-as-of-nov-28");

        // The first night's backup, named with another offset for the same instant; the snapshot itself was purged.
        var dryRun = Restore("--snapshot=2026-11-28T04:00:00+01:00", $"--to={to}", "--dryrun");
        var restored = Restore("--snapshot=2026-11-28T04:00:00+01:00", $"--to={to}");
        var again = Restore("--snapshot=latest", $"--to={to}");
        var inside = Restore("--snapshot=latest", $"--to={Path.Combine(home.SnapshotDir, "mine")}");
        var next = Nightly(FirstNight.AddDays(2));

        Assert.That(dryRun.ExitCode, Is.Zero, dryRun.ToString());
        Assert.That(dryRun.Output, Does.Contain($"[dry run] would run: btrfs subvolume snapshot {system}/2026-11-28T03:00:00+00:00 {to}"));
        Assert.That(restored.ExitCode, Is.Zero, restored.ToString());
        Assert.That(restored.Output, Does.Contain($"restored  2026-11-28T03:00:00+00:00 (backup on the target, {home.Target}/2026-11-28T03:00:00+00:00) to {to} (received incrementally from 2026-11-29T03:00:00+00:00)"));
        Assert.That(Files.Digests(to), Is.EqualTo(first));
        var made = await LocalBtrfsHost.Instance.ShowSubvolumeAsync(to, default);
        Assert.That((made.IsReadOnly, made.ReceivedUuid), Is.EqualTo((false, (Guid?)null)), "writable, and nothing the tool sees takes it for a backup");
        Assert.That(Directory.Exists(Path.Combine(system, "2026-11-28T03:00:00+00:00")), Is.False, "the copy received on the way was deleted");
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Output, Does.Contain($"--to={to} exists; restore never overwrites anything"));
        Assert.That(inside.Output, Does.Contain("is inside the pair's snapshot_dir"));
        Assert.That(next.ExitCode, Is.Zero, next.ToString());
        Assert.That(Files.Digests(to), Is.EqualTo(first), "the restored subvolume is the user's: no run touches it");
    }

    [Test]
    public async Task A_purged_snapshot_is_restored_from_the_backup_disk_incrementally()
    {
        Files.WriteRandom(Path.Combine(home.Source, "data.bin"), 8 << 20, seed: 1);
        Nightly(FirstNight);
        var firstNight = Files.Digests(Path.Combine(home.Target!, FakeClock.SnapshotName(FirstNight, "UTC")));
        Files.WriteRandom(Path.Combine(home.Source, "more.bin"), 1 << 20, seed: 2);
        Nightly(FirstNight.AddDays(1));
        var newDisk = Sandbox.AddFilesystem("restore-disk", 512);
        var keep = Path.Combine(newDisk.MountPoint, "home-kept");

        var result = Restore("--snapshot=2026-11-28T03:00:00+00:00", $"--to={Path.Combine(home.Source, "..", "home-old")}");
        var full = Restore("--snapshot=2026-11-28T03:00:00+00:00", $"--to={keep}", "--keep-received");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("incremental from 2026-11-29T03:00:00+00:00, which this filesystem holds"));
        Assert.That(Files.Digests(Path.Combine(Sandbox.Filesystems[0].MountPoint, "home-old")), Is.EqualTo(firstNight));
        Assert.That(full.ExitCode, Is.Zero, full.ToString());
        Assert.That(full.Output, Does.Contain("(full: this filesystem holds none of its relatives)"));
        var kept = await LocalBtrfsHost.Instance.ShowSubvolumeAsync(Path.Combine(newDisk.MountPoint, "2026-11-28T03:00:00+00:00"), default);
        Assert.That(kept.IsReadOnly, Is.True, "--keep-received keeps the read-only copy");
        Assert.That(Files.Digests(keep), Is.EqualTo(firstNight));
    }

    [Test]
    public async Task Home_is_rebuilt_on_a_new_disk_from_the_backups_and_backed_up_again_into_a_new_directory()
    {
        File.WriteAllText(Path.Combine(home.Source, "letters.txt"), "dear all\n");
        Nightly(FirstNight);
        Nightly(FirstNight.AddDays(1));
        var backups = Directory.GetDirectories(home.Target!).Order(StringComparer.Ordinal).ToList();
        var latest = Files.Digests(backups[^1]);

        // The disk with /home and its snapshots dies; a new one goes in.
        BtrfsSandbox.Unmount(Sandbox.Filesystems[0]);
        var newDisk = Sandbox.AddFilesystem("home2", 512);
        var rebuilt = Path.Combine(newDisk.MountPoint, "home");
        var restored = Restore("--snapshot=latest", "--from=target", $"--to={rebuilt}");

        Assert.That(restored.ExitCode, Is.Zero, restored.ToString());
        Assert.That(restored.Output, Does.Contain("not searched: snapshot_dir"));
        Assert.That(Files.Digests(rebuilt), Is.EqualTo(latest));

        // Pointed at the old target, the new subvolume (a new UUID) is refused there; a new directory starts the chain again.
        var moved = home with { Source = rebuilt, SnapshotDir = Path.Combine(newDisk.MountPoint, ".snapshots", "home") };
        ConfigFile.Write(Sandbox.Root, moved);
        var refused = Nightly(FirstNight.AddDays(2), expectSuccess: false);
        ConfigFile.Write(Sandbox.Root, moved with { Target = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup", "home-2026-12")).FullName });
        var again = Nightly(FirstNight.AddDays(3));

        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Output, Does.Contain("another source"));
        // The snapshot taken on the refused night is not lost: it goes first, in full, and the new one incrementally.
        Assert.That(again.Output, Does.Contain("sent 2026-11-30T03:00:00+00:00 (full)").And.Contain("sent 2026-12-01T03:00:00+00:00 (incremental from 2026-11-30T03:00:00+00:00)"));
        Assert.That(Directory.GetDirectories(home.Target!).Order(StringComparer.Ordinal), Is.EqualTo(backups), "the old backups are left as they were");
        var newBackups = await Scans.OfAsync(moved with { Target = Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup", "home-2026-12") });
        Assert.That(newBackups.Target!.Snapshots, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_restore_that_fails_midway_leaves_nothing_behind()
    {
        Files.WriteRandom(Path.Combine(home.Source, "big.bin"), 160 << 20, seed: 3);
        Nightly(FirstNight);
        var tooSmall = Sandbox.AddFilesystem("small", 128);

        var result = Restore("--snapshot=latest", $"--to={Path.Combine(tooSmall.MountPoint, "home")}");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Does.Contain("restoring 2026-11-28T03:00:00+00:00 failed").And.Contain("was deleted"));
        Assert.That(Directory.GetFileSystemEntries(tooSmall.MountPoint), Is.Empty);
    }

    [Test]
    public void A_root_subvolume_is_received_made_default_and_mounted_as_a_live_system_would()
    {
        var root = PairLayout.Create(Sandbox, "root");
        File.WriteAllText(Path.Combine(root.Source, "fstab"), "UUID=old / btrfs defaults 0 0\n");
        ConfigFile.Write(Sandbox.Root, root);
        Nightly(FirstNight);
        var backup = Path.Combine(root.Target!, FakeClock.SnapshotName(FirstNight, "UTC"));
        var expected = Files.Digests(backup);
        var disk = Sandbox.AddFilesystem("new-root", 512);
        var live = Path.Combine(Sandbox.Root, "live-mount");
        Directory.CreateDirectory(live);

        // The commands of docs/restore.md, as typed on a live system.
        Shell.Run("sh", "-c", "btrfs send \"$1\" | btrfs receive \"$2\"", "sh", backup, disk.MountPoint + "/");
        Shell.Run("btrfs", "subvolume", "snapshot", Path.Combine(disk.MountPoint, Path.GetFileName(backup)), Path.Combine(disk.MountPoint, "@"));
        Shell.Run("btrfs", "subvolume", "delete", Path.Combine(disk.MountPoint, Path.GetFileName(backup)));
        Shell.Run("btrfs", "subvolume", "set-default", Path.Combine(disk.MountPoint, "@"));
        BtrfsSandbox.Unmount(disk);

        SortedDictionary<string, string> byDefault, bySubvol;
        Shell.Run("mount", disk.Device, live);
        try
        {
            byDefault = Files.Digests(live);
        }
        finally
        {
            Shell.Run("umount", live);
        }

        Shell.Run("mount", "-o", "subvol=@", disk.Device, live);
        try
        {
            bySubvol = Files.Digests(live);
        }
        finally
        {
            Shell.Run("umount", live);
        }

        Assert.That(byDefault, Is.EqualTo(expected), "a plain mount of the new disk mounts @");
        Assert.That(bySubvol, Is.EqualTo(expected));
    }

    private CakeResult Nightly(DateTimeOffset night, bool expectSuccess = true)
    {
        var result = CakeAt(night, "nightly", $"--config={config}");
        if (expectSuccess)
        {
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
        }

        return result;
    }

    private CakeResult Restore(params string[] arguments) =>
        CakeAt(FirstNight.AddDays(10), ["restore", "--pair=home", $"--config={config}", .. arguments]);
}
