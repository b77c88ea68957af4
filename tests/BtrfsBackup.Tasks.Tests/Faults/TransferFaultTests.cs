using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;
using CliWrap;

namespace BtrfsBackup.Tests.Faults;

/// <summary>Faults during a transfer, on real filesystems: afterwards every backup is intact and the next run completes.</summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class TransferFaultTests : RealBtrfsFixture
{
    protected override int FilesystemSizeMiB => 1024;

    private BackupPair pair = null!;
    private DateTime night;

    [SetUp]
    public async Task CreateAPairWithOneBackup()
    {
        pair = PairLayout.Create(Sandbox);
        night = new DateTime(2026, 11, 1, 3, 0, 0);
        await NightAsync();
        Assert.That((await PairScanner.ScanAsync(pair, default)).Target!.Snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Send_killed_mid_stream_the_partial_is_removed_and_the_next_run_is_incremental()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 300 << 20, seed: 11);
        var snapshot = await SnapshotAsync();
        var send = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = new RecordingLog() };

        var sending = Task.Run(send.Execute);
        var sender = await Processes.WaitForAsync("btrfs send", "btrfsbackup-send-", TimeSpan.FromSeconds(10));
        Shell.Run("kill", "-KILL", sender.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(await sending, Is.False);
        Assert.That(send.FailureMessage, Does.Contain($"sending {snapshot} failed").And.Contain("btrfs send"));
        await BackupAssertions.IntactAsync(pair);
        await AssertNextNightIsIncrementalAsync();
    }

    [Test]
    public async Task The_tool_killed_with_SIGKILL_mid_transfer_then_run_again_cleans_up_and_completes()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 600 << 20, seed: 12);
        var snapshot = await SnapshotAsync();
        var config = ConfigFile.Write(Sandbox.Root, pair);
        var partial = Path.Combine(pair.Target!, snapshot);

        var foldersBefore = FifoFolders();
        var running = Cli.Wrap("dotnet")
            .WithArguments(["cake", "build.cake", "--target=backup", "--pair=home", $"--config={config}"])
            .WithWorkingDirectory(CakeCli.RepositoryRoot)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        while (!Directory.Exists(partial) && !running.Task.IsCompleted)
        {
            await Task.Delay(10);
        }

        // The tool's own processes only: btrfs send and receive are left to find their pipes broken.
        foreach (var pid in Processes.Tree(running.ProcessId))
        {
            Shell.TryRun("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await running.Task.ContinueWith(_ => { }, TaskScheduler.Default);
        await WaitUntilNoBtrfsTransferAsync();
        RemoveFifoFoldersLeftBy(foldersBefore);
        var afterKill = await BackupAssertions.IntactAsync(pair, incompleteAllowed: true);
        Assert.That(afterKill.Target!.Snapshots, Has.Count.EqualTo(1), "the killed transfer is not taken for a backup");

        var again = CakeCli.Run("--target=backup", "--pair=home", $"--config={config}");

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain($"(incremental from 2026-11-01T03:00:00)"));
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

        var send = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = new RecordingLog() };

        Assert.That(send.Execute(), Is.False);
        Assert.That(send.FailureMessage, Does.Contain($"sending {snapshot} failed; the partial subvolume {target}/{snapshot} was deleted"));
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
        var inventory = await PairScanner.ScanAsync(pair, default);
        var backupDisk = Sandbox.Filesystems[1];
        BtrfsSandbox.Unmount(backupDisk);
        Directory.CreateDirectory(pair.Target!);

        var send = new SendTask { Inventory = inventory, Log = new RecordingLog() };

        Assert.That(send.Execute(), Is.False);
        Assert.That(send.FailureMessage, Does.Contain($"target {pair.Target} is no longer on the filesystem the scan found").And.Contain("Nothing was sent."));
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
        var send = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = new RecordingLog() };

        bool succeeded;
        try
        {
            succeeded = send.Execute();
        }
        finally
        {
            Shell.Run("mount", "-o", "remount,rw", backupDisk.MountPoint);
        }

        Assert.That(succeeded, Is.False);
        Assert.That(send.FailureMessage, Does.Contain($"sending {snapshot} failed").And.Contain("btrfs receive").And.Contain("Read-only file system"));
        await BackupAssertions.IntactAsync(pair);
        await AssertNextNightIsIncrementalAsync(alreadySnapshotted: snapshot);
    }

    private async Task NightAsync()
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(night, log, pair);
        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        night = night.AddDays(1);
    }

    private async Task<string> SnapshotAsync()
    {
        var task = new SnapshotTask { Inventory = await PairScanner.ScanAsync(pair, default), Clock = () => night, Log = new RecordingLog() };
        Assert.That(task.Execute(), Is.True, task.FailureMessage);
        night = night.AddDays(1);
        return task.Plan!.Name.ToString();
    }

    private async Task AssertNextNightIsIncrementalAsync(string? alreadySnapshotted = null)
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(night, log, pair);
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

    // A process killed outright cannot remove its FIFO folder; the test does, to leave /tmp as it found it.
    private static HashSet<string> FifoFolders() => Directory.GetDirectories(Path.GetTempPath(), "btrfsbackup-send-*").ToHashSet();

    private static void RemoveFifoFoldersLeftBy(HashSet<string> before)
    {
        foreach (var folder in FifoFolders().Except(before))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitUntilNoBtrfsTransferAsync()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            try
            {
                await Processes.WaitForAsync("btrfs ", "btrfsbackup-send-", TimeSpan.FromMilliseconds(1));
            }
            catch (TimeoutException)
            {
                return;
            }

            await Task.Delay(20);
        }
    }
}
