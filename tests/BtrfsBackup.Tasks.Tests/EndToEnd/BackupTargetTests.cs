using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>`dotnet cake --target=backup` on real loop-mounted filesystems.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class BackupTargetTests : RealBtrfsFixture
{
    protected override int FilesystemSizeMiB => 1024;


    [Test]
    public async Task Backup_sends_full_then_incremental()
    {
        var home = PairLayout.Create(Sandbox);
        var config = ConfigFile.Write(Sandbox.Root, home);
        var night = new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
        Assert.That(CakeAt(night, "--target=snapshot", "--pair=home", $"--config={config}").ExitCode, Is.Zero);

        var first = CakeAt(night, "--target=backup", "--pair=home", $"--config={config}");
        File.WriteAllText(Path.Combine(home.Source, "later.txt"), "later\n");
        Assert.That(CakeAt(night.AddHours(6), "--target=snapshot", "--pair=home", "--suffix=after-change", $"--config={config}").ExitCode, Is.Zero);
        var second = CakeAt(night.AddHours(6), "--target=backup", "--pair=home", $"--config={config}");
        var third = CakeAt(night.AddHours(6), "--target=backup", "--pair=home", $"--config={config}");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Output, Does.Contain("sent 2026-11-30T03:00:00+00:00 (full): "));
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Contain("sent 2026-11-30T09:00:00+00:00-after-change (incremental from 2026-11-30T03:00:00+00:00): "));
        Assert.That(third.Output, Does.Match(@"Send:home\s+-\s+Skipped\s+nothing new to send"));
        var inventory = await Scans.OfAsync(home);
        Assert.That(inventory.Target!.Snapshots.Select(backup => backup.ReceivedUuid), Is.EqualTo(inventory.SnapshotDir.Snapshots.Select(snapshot => (Guid?)snapshot.Uuid)));
        Assert.That(inventory.Target.Snapshots[1].Subvolume.ParentUuid, Is.EqualTo(inventory.Target.Snapshots[0].Uuid));
        Assert.That(File.ReadAllText(Path.Combine(inventory.Target.Snapshots[1].Path, "later.txt")), Is.EqualTo("later\n"));
    }

    [Test]
    public void An_unmounted_target_is_skipped_with_a_warning_and_nothing_is_written_to_the_system_disk()
    {
        // The backup disk is mounted inside the source's filesystem, as /mnt/backup is on a system disk.
        var system = Sandbox.Filesystems[0].MountPoint;
        var backupDisk = Sandbox.AddFilesystem("usb", 256, Directory.CreateDirectory(Path.Combine(system, "mnt", "usb")).FullName);
        var home = PairLayout.Create(Sandbox) with { Target = Directory.CreateDirectory(Path.Combine(backupDisk.MountPoint, "home")).FullName };
        var config = ConfigFile.Write(Sandbox.Root, home);
        Assert.That(Cake("--target=snapshot", "--pair=home", $"--config={config}").ExitCode, Is.Zero);
        BtrfsSandbox.Unmount(backupDisk);
        Directory.CreateDirectory(home.Target!); // the empty directory left on the system disk

        var result = Cake("--target=backup", "--pair=home", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, "an unplugged disk is a skip, not a failure");
        Assert.That(result.Output, Does.Contain($"Skipping Send:home: target {home.Target} is on the source's own filesystem"));
        Assert.That(result.Output, Does.Match(@"Send:home\s+-\s+Skipped\s+target not mounted"));
        Assert.That(Directory.GetFileSystemEntries(home.Target!), Is.Empty);
    }

    [Test]
    public async Task Dry_run_prints_each_send_with_its_parent_and_changes_nothing()
    {
        var home = PairLayout.Create(Sandbox);
        var config = ConfigFile.Write(Sandbox.Root, home);
        Assert.That(Cake("--target=snapshot", "--pair=home", $"--config={config}").ExitCode, Is.Zero);

        var result = Cake("--target=backup", "--all", "--dryrun", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Match($@"\[dry run\] would run: btrfs send {home.SnapshotDir}/\S+ \| btrfs receive {home.Target}  # full send"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Is.Empty);
    }

    [Test]
    public async Task SIGTERM_during_a_transfer_stops_it_removes_the_partial_subvolume_and_exits_non_zero()
    {
        var home = PairLayout.Create(Sandbox);
        Files.WriteRandom(Path.Combine(home.Source, "big.bin"), 64 << 20, seed: 4);
        var config = ConfigFile.Write(Sandbox.Root, home);
        Assert.That(Cake("--target=snapshot", "--pair=home", $"--config={config}").ExitCode, Is.Zero);
        var snapshot = (await Scans.OfAsync(home)).SnapshotDir.Snapshots.Single();
        var partial = Path.Combine(home.Target!, snapshot.Name.ToString());

        // As systemd stops a service: SIGTERM to every process of the run at once (under dotnet cake,
        // which forwards it too), once the transfer is held at its start.
        var hold = TransferHold.Arm(Sandbox);
        await CakeCli.ScriptCache.WaitAsync();
        CliWrap.Buffered.BufferedCommandResult result;
        try
        {
            var running = ProcessGroup.Start(CakeCli.RepositoryRoot, Sandbox.ChildEnvironment, "dotnet", "cake", "build.cake", "--target=backup", "--pair=home", $"--config={config}");
            var held = await hold.WaitUntilHeldAsync(running.Exited);
            Assert.That(held, Is.True, () => $"the run reached its transfer: {running.Exited.Result.StandardOutput}{running.Exited.Result.StandardError}");
            running.Terminate();
            result = await running.Exited;
        }
        finally
        {
            CakeCli.ScriptCache.Release();
        }

        var output = result.StandardOutput + result.StandardError;

        Assert.That(result.ExitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain($"sending {snapshot.Name} was interrupted; the partial subvolume {partial} was deleted"));
        Assert.That(Directory.Exists(partial), Is.False);
        Assert.That((await Scans.OfAsync(home)).Target!.Incomplete, Is.Empty);
    }
}
