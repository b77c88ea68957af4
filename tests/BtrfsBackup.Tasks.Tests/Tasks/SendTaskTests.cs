using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Tasks;

[TestFixture]
[Category("RealBtrfs")]
public sealed class SendTaskTests : RealBtrfsFixture
{
    protected override int FilesystemSizeMiB => 1024;

    private BackupPair pair = null!;
    private DateTime clock;

    [SetUp]
    public void CreatePair()
    {
        pair = PairLayout.Create(Sandbox);
        clock = new DateTime(2026, 11, 1, 3, 0, 0);
    }

    [Test]
    public async Task Sends_full_then_incremental_and_the_backups_match_their_snapshots_file_by_file()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 8 << 20, seed: 1);
        await SnapshotAsync();
        var first = await SendAsync();
        Assert.That(first.Results.Single().Send.IsIncremental, Is.False);

        File.WriteAllText(Path.Combine(pair.Source, "hello.txt"), "changed\n");
        Files.WriteRandom(Path.Combine(pair.Source, "new.bin"), 64 << 10, seed: 2);
        await SnapshotAsync();
        File.Delete(Path.Combine(pair.Source, "new.bin"));
        await SnapshotAsync();
        var second = await SendAsync();

        Assert.That(second.Results.Select(result => result.Send.Parent?.Name.ToString()),
            Is.EqualTo(new[] { "2026-11-01T03:00:00", "2026-11-02T03:00:00" }), "each incremental is sent from the one before it");
        Assert.That(second.Results.Sum(result => result.Transfer!.Bytes), Is.LessThan(first.Results.Single().Transfer!.Bytes / 10));

        var inventory = await PairScanner.ScanAsync(pair, default);
        Assert.That(inventory.Target!.Snapshots, Has.Count.EqualTo(3));
        Assert.That(inventory.Target.Incomplete, Is.Empty);
        for (var index = 0; index < 3; index++)
        {
            var snapshot = inventory.SnapshotDir.Snapshots[index];
            var backup = inventory.Target.Snapshots[index];
            Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid));
            Assert.That(Files.Digests(backup.Path), Is.EqualTo(Files.Digests(snapshot.Path)), $"{backup.Path} differs from {snapshot.Path}");
            Assert.That(backup.Subvolume.ParentUuid, index == 0 ? Is.Null : Is.EqualTo(inventory.Target.Snapshots[index - 1].Uuid));
        }
    }

    [Test]
    public async Task A_receive_killed_mid_stream_is_cleaned_up_and_the_next_run_completes()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 256 << 20, seed: 3);
        await SnapshotAsync();
        var task = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = new RecordingLog() };

        var sending = Task.Run(task.Execute);
        var receiver = await WaitForProcessAsync("btrfs receive -f");
        var partial = Path.Combine(pair.Target!, "2026-11-01T03:00:00");
        while (!Directory.Exists(partial) && !sending.IsCompleted)
        {
            await Task.Delay(5);
        }

        Shell.Run("kill", "-STOP", receiver);
        await Task.Delay(300);
        Shell.Run("kill", "-KILL", receiver);
        var succeeded = await sending;

        Assert.That(succeeded, Is.False);
        Assert.That(task.FailureMessage, Does.Contain("sending 2026-11-01T03:00:00 failed; the partial subvolume").And.Contain("was deleted"));
        var afterFailure = await PairScanner.ScanAsync(pair, default);
        Assert.That(afterFailure.Target!.Snapshots, Is.Empty);
        Assert.That(afterFailure.Target.Incomplete, Is.Empty);

        var retry = await SendAsync();
        Assert.That(retry.Results.Single().Send.IsIncremental, Is.False);
        var final = await PairScanner.ScanAsync(pair, default);
        Assert.That(final.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(final.SnapshotDir.Snapshots.Single().Uuid));
    }

    [Test]
    public async Task An_incomplete_receive_left_by_a_killed_run_is_deleted_before_the_snapshot_is_sent_again()
    {
        await SnapshotAsync();
        var snapshot = (await PairScanner.ScanAsync(pair, default)).SnapshotDir.Snapshots.Single();
        // What a receive killed outright leaves: a writable subvolume of that name without a Received UUID.
        BtrfsSandbox.CreateSubvolume(Path.Combine(pair.Target!, snapshot.Name.ToString()));
        var log = new RecordingLog();

        var task = await SendAsync(log);

        Assert.That(log.Lines, Has.Some.StartsWith($"run: btrfs subvolume delete {pair.Target}/{snapshot.Name}  # incomplete receive"));
        var backup = (await PairScanner.ScanAsync(pair, default)).Target!.Snapshots.Single();
        Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid));
        Assert.That(task.Results.Single().Send.IsIncremental, Is.False, "an incomplete receive is never a parent");
    }

    [Test]
    public async Task A_backup_made_by_another_run_since_the_scan_is_neither_overwritten_nor_deleted()
    {
        await SnapshotAsync();
        var stale = await PairScanner.ScanAsync(pair, default);
        var snapshot = stale.SnapshotDir.Snapshots.Single();
        Shell.Run("sh", "-c", "btrfs send -q \"$1\" | btrfs receive -q \"$2\"", "sh", snapshot.Path, pair.Target!);
        var task = new SendTask { Inventory = stale, Log = new RecordingLog() };

        Assert.That(task.Execute(), Is.False);

        Assert.That(task.FailureMessage, Does.Contain($"{pair.Target}/{snapshot.Name} appeared on the target since the scan; nothing was sent and nothing there was touched."));
        var backup = (await PairScanner.ScanAsync(pair, default)).Target!.Snapshots.Single();
        Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid), "the other run's complete backup is still there");
    }

    [Test]
    public async Task A_long_transfer_logs_progress_at_a_steady_pace_and_one_line_per_send()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 256 << 20, seed: 5);
        await SnapshotAsync();
        var log = new RecordingLog();
        var task = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = log, ProgressInterval = TimeSpan.FromMilliseconds(20) };

        Assert.That(task.Execute(), Is.True, task.FailureMessage);

        Assert.That(log.Lines, Has.Some.Match(@"^Pair 'home': sending 2026-11-01T03:00:00: \d+(\.\d)? [KMG]iB so far, \d+\.\d MB/s$"));
        Assert.That(log.Lines, Has.Exactly(1).Match(@"^Pair 'home': sent 2026-11-01T03:00:00 \(full\): 256\.\d MiB in \d+\.\d s, \d+\.\d MB/s$"));
    }

    [Test]
    public async Task Dry_run_lists_each_send_with_its_parent_and_changes_nothing()
    {
        await SnapshotAsync();
        await SendAsync();
        await SnapshotAsync();
        await SnapshotAsync();
        var log = new RecordingLog();
        var task = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = log, DryRun = true };

        Assert.That(task.Execute(), Is.True, task.FailureMessage);

        var snapshots = $"{pair.SnapshotDir}/";
        Assert.That(log.Lines, Is.EqualTo(new[]
        {
            $"[dry run] would run: btrfs send -p {snapshots}2026-11-01T03:00:00 {snapshots}2026-11-02T03:00:00 | btrfs receive {pair.Target}  # incremental: 2026-11-01T03:00:00 is the newest older snapshot backed up on the target",
            $"[dry run] would run: btrfs send -p {snapshots}2026-11-02T03:00:00 {snapshots}2026-11-03T03:00:00 | btrfs receive {pair.Target}  # incremental: from 2026-11-02T03:00:00, sent just before it",
        }));
        Assert.That((await PairScanner.ScanAsync(pair, default)).Target!.Snapshots, Has.Count.EqualTo(1));
    }

    private async Task SnapshotAsync()
    {
        var task = new SnapshotTask { Inventory = await PairScanner.ScanAsync(pair, default), Clock = () => clock, Log = new RecordingLog() };
        Assert.That(task.Execute(), Is.True, task.FailureMessage);
        clock = clock.AddDays(1);
    }

    private async Task<SendTask> SendAsync(RecordingLog? log = null)
    {
        var task = new SendTask { Inventory = await PairScanner.ScanAsync(pair, default), Log = log ?? new RecordingLog() };
        Assert.That(task.Execute(), Is.True, task.FailureMessage);
        return task;
    }

    private static async Task<string> WaitForProcessAsync(string commandLineStart) =>
        (await Processes.WaitForAsync(commandLineStart, "btrfsbackup-send-", TimeSpan.FromSeconds(10))).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
