using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Faults;

/// <summary>Faults during a transfer, on real filesystems: afterwards every backup is intact and the next run completes.</summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class TransferFaultTests : RealBtrfsFixture
{
    protected override int FilesystemSizeMiB => 1024;

    private static readonly DateTime FirstNight = new(2026, 11, 1, 3, 0, 0);
    private BackupPair pair = null!;
    private DateTime night;

    [SetUp]
    public async Task CreateAPairWithOneBackup()
    {
        pair = PairLayout.Create(Sandbox);
        night = FirstNight;
        await NightAsync();
        Assert.That((await Scans.OfAsync(pair)).Target!.Snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Send_killed_mid_stream_the_partial_is_removed_and_the_next_run_is_incremental()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 300 << 20, seed: 11);
        var snapshot = await SnapshotAsync();
        var sender = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Stopped the moment it starts, so it cannot finish before the test kills it, however busy the machine.
        var environment = Sandbox.Watching((send, _) => sender.SetResult(ChildProcess.Stop(send)));
        var send = new SendTask { Environment = environment, Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };

        var sending = Task.Run(send.Run);
        ChildProcess.Kill(await sender.Task);
        var sendOutcome = await sending;

        Assert.That(sendOutcome.Succeeded, Is.False);
        Assert.That(sendOutcome.FailureCause, Does.Contain($"sending {snapshot} failed").And.Contain("btrfs send"));
        await BackupAssertions.IntactAsync(pair);
        await AssertNextNightIsIncrementalAsync();
    }

    [Test]
    public async Task The_tool_killed_with_SIGKILL_mid_transfer_then_run_again_cleans_up_and_completes()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 64 << 20, seed: 12);
        var snapshot = await SnapshotAsync();
        var config = ConfigFile.Write(Sandbox.Root, pair);
        var partial = Path.Combine(pair.Target!, snapshot);
        var hold = TransferHold.Arm(Sandbox);

        // In a process group of its own, so that the test kills exactly the run it started (tool and btrfs
        // alike, as systemd does when a stop times out), and knows when all of it is gone; held mid-transfer.
        var killed = ProcessGroup.Start(CakeCli.RepositoryRoot, Sandbox.ChildEnvironment, CakeCli.BuiltProgramPath, "backup", "--pair=home", $"--config={config}");
        Assert.That(await hold.WaitUntilHeldAsync(killed.Exited), Is.True, "the run reached its transfer");
        await killed.KillAsync();
        hold.Disarm();
        Assert.That(Directory.Exists(partial), Is.True, "the receive had begun");

        var transfers = Path.Combine(Sandbox.Runtime.Root, "transfers");
        var abandoned = Directory.GetDirectories(transfers);
        Assert.That(abandoned, Has.Length.EqualTo(1), "a process killed outright cannot remove its FIFO folder");
        var afterKill = await BackupAssertions.IntactAsync(pair, incompleteAllowed: true);
        Assert.That(afterKill.Target!.Snapshots, Has.Count.EqualTo(1), "the killed transfer is not taken for a backup");
        Assert.That(afterKill.Target.Incomplete.Select(subvolume => subvolume.Path), Is.EqualTo(new[] { partial }), "the target's record names the receive it cut short");

        var again = Cake("--target=backup", "--pair=home", $"--config={config}");

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain($"unfinished receive of {snapshot}"));
        Assert.That(again.Output, Does.Contain($"({Incremental(SnapshotNames.At(FirstNight))})"));
        Assert.That(Directory.GetDirectories(transfers), Is.Empty, "the next run removed the FIFO folder of the killed one");
        var final = await BackupAssertions.IntactAsync(pair);
        Assert.That(final.Target!.Snapshots, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Target_full_during_receive_fails_cleanly_and_once_there_is_room_the_next_run_is_incremental()
    {
        // A 160 MiB backup disk, and 300 MiB of new data.
        var small = Sandbox.AddFilesystem("small", 160);
        var target = Directory.CreateDirectory(Path.Combine(small.MountPoint, "home")).FullName;
        pair = pair with { Target = target, SnapshotDir = Path.Combine(Sandbox.Filesystems[0].MountPoint, ".snapshots", "home-small") };
        night = night.AddDays(1);
        await NightAsync();
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 300 << 20, seed: 13);
        var snapshot = await SnapshotAsync();

        var send = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };

        var sendOutcome = send.Run();
        Assert.That(sendOutcome.Succeeded, Is.False);
        Assert.That(sendOutcome.FailureCause, Does.Contain($"sending {snapshot} failed; the partial subvolume {target}/{snapshot} was deleted"));
        await BackupAssertions.IntactAsync(pair);

        Shell.Run("truncate", "-s", "1G", small.Image);
        Shell.Run("losetup", "-c", small.Device);
        Shell.Run("btrfs", "filesystem", "resize", "max", small.MountPoint);
        await AssertNextNightIsIncrementalAsync();
    }

    [Test]
    public async Task Target_unmounted_between_scan_and_send_nothing_is_written_underneath()
    {
        var snapshot = await SnapshotAsync();
        var inventory = await Scans.OfAsync(pair);
        var backupDisk = Sandbox.Filesystems[1];
        BtrfsSandbox.Unmount(backupDisk);
        Directory.CreateDirectory(pair.Target!);

        var send = new SendTask { Environment = Sandbox.Now(), Inventory = inventory, Log = new RecordingLog() };

        var sendOutcome = send.Run();
        Assert.That(sendOutcome.Succeeded, Is.False);
        Assert.That(sendOutcome.FailureCause, Does.Contain($"target {pair.Target} is no longer on the filesystem the scan found").And.Contain("Nothing was sent"));
        Assert.That(Directory.GetFileSystemEntries(pair.Target!), Is.Empty);

        BtrfsSandbox.Mount(backupDisk);
        await BackupAssertions.IntactAsync(pair);
        await AssertNextNightIsIncrementalAsync(alreadySnapshotted: snapshot);
    }

    [Test]
    public async Task Target_remounted_read_only_fails_with_btrfs_error_and_leaves_nothing_behind()
    {
        var snapshot = await SnapshotAsync();
        var backupDisk = Sandbox.Filesystems[1];
        Shell.Run("mount", "-o", "remount,ro", backupDisk.MountPoint);
        var send = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };

        StepOutcome sendOutcome;
        try
        {
            sendOutcome = send.Run();
        }
        finally
        {
            Shell.Run("mount", "-o", "remount,rw", backupDisk.MountPoint);
        }

        Assert.That(sendOutcome.Succeeded, Is.False);
        Assert.That(sendOutcome.FailureCause, Does.Contain($"sending {snapshot} did not start").And.Contain("Read-only file system").And.EndsWith("nothing was sent"));
        await BackupAssertions.IntactAsync(pair);
        await AssertNextNightIsIncrementalAsync(alreadySnapshotted: snapshot);
    }

    private async Task NightAsync()
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(Sandbox.At(night), log, pair);
        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        night = night.AddDays(1);
    }

    private async Task<string> SnapshotAsync()
    {
        var task = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(night), Log = new RecordingLog() };
        Assert.That(task.Run().FailureCause, Is.Null);
        night = night.AddDays(1);
        return task.Plan!.Name.ToString();
    }

    private async Task AssertNextNightIsIncrementalAsync(string? alreadySnapshotted = null)
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(Sandbox.At(night), log, pair);
        night = night.AddDays(1);
        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        var sends = run.Pairs[0].Sends;
        Assert.That(sends, Is.Not.Empty, log.ToString());
        Assert.That(sends.All(send => send.Send.IsIncremental), Is.True, log.ToString());
        if (alreadySnapshotted is not null)
        {
            Assert.That(sends[0].Send.Snapshot.Name.ToString(), Is.EqualTo(alreadySnapshotted));
        }

        await BackupAssertions.IntactAsync(pair);
    }

    private static string Incremental(string parent) => $"incremental from {parent}";
}
