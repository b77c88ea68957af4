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

    private static readonly DateTime FirstNight = new(2026, 11, 1, 3, 0, 0);
    private static readonly string Night1 = SnapshotNames.At(FirstNight);
    private static readonly string Night2 = SnapshotNames.At(FirstNight.AddDays(1));
    private static readonly string Night3 = SnapshotNames.At(FirstNight.AddDays(2));
    private BackupPair pair = null!;
    private DateTime clock;

    [SetUp]
    public void CreatePair()
    {
        pair = PairLayout.Create(Sandbox);
        clock = FirstNight;
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
            Is.EqualTo(new[] { SnapshotNames.At(FirstNight), SnapshotNames.At(FirstNight.AddDays(1)) }), "each incremental is sent from the one before it");
        Assert.That(second.Results.Sum(result => result.Transfer!.Bytes), Is.LessThan(first.Results.Single().Transfer!.Bytes / 10));

        var inventory = await Scans.OfAsync(pair);
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
        var receiver = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = new SendTask { Environment = Sandbox.Watching((_, receive) => receiver.SetResult(receive)), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };
        var name = SnapshotNames.At(FirstNight);

        var sending = Task.Run(task.Run);
        var receive = await receiver.Task;
        // Killed once it has made the partial subvolume: the first thing btrfs receive does.
        await Waiting.UntilExistsAsync(Path.Combine(pair.Target!, name), sending);
        ChildProcess.Kill(receive);
        var taskOutcome = await sending;

        Assert.That(taskOutcome.Succeeded, Is.False);
        Assert.That(taskOutcome.FailureCause, Does.Contain($"sending {name} failed; the partial subvolume").And.Contain("was deleted"));
        var afterFailure = await Scans.OfAsync(pair);
        Assert.That(afterFailure.Target!.Snapshots, Is.Empty);
        Assert.That(afterFailure.Target.Incomplete, Is.Empty);

        var retry = await SendAsync();
        Assert.That(retry.Results.Single().Send.IsIncremental, Is.False);
        var final = await Scans.OfAsync(pair);
        Assert.That(final.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(final.SnapshotDir.Snapshots.Single().Uuid));
    }

    [Test]
    public async Task An_incomplete_receive_left_by_a_killed_run_is_deleted_before_the_snapshot_is_sent_again()
    {
        await SnapshotAsync();
        var inventory = await Scans.OfAsync(pair);
        var snapshot = inventory.SnapshotDir.Snapshots.Single();
        // What a run killed outright during a receive leaves: the record of the receive it started, and a
        // writable subvolume of that name without a Received UUID.
        var path = Path.Combine(pair.Target!, snapshot.Name.ToString());
        File.WriteAllText(TargetRecord.PathIn(pair.Target!), inventory.TargetRecord!.StartReceiving(snapshot.Uuid, snapshot.Name.ToString(), path).Serialize());
        BtrfsSandbox.CreateSubvolume(path);
        var log = new RecordingLog();

        var task = await SendAsync(log);

        Assert.That(log.Lines, Has.Some.StartsWith($"run: btrfs subvolume delete {path}  # unfinished receive of {snapshot.Name}"));
        Assert.That(task.Deleted.Select(deletion => deletion.Path), Is.EqualTo(new[] { path }), "the deletion is reported with its reason");
        var backup = (await Scans.OfAsync(pair)).Target!.Snapshots.Single();
        Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid));
        Assert.That(task.Results.Single().Send.IsIncremental, Is.False, "an incomplete receive is never a parent");
    }

    [Test]
    public async Task A_backup_made_by_another_run_since_the_scan_is_neither_overwritten_nor_deleted()
    {
        await SnapshotAsync();
        var stale = await Scans.OfAsync(pair);
        var snapshot = stale.SnapshotDir.Snapshots.Single();
        Shell.Run("sh", "-c", "btrfs send -q \"$1\" | btrfs receive -q \"$2\"", "sh", snapshot.Path, pair.Target!);
        var task = new SendTask { Environment = Sandbox.Now(), Inventory = stale, Log = new RecordingLog() };

        var taskOutcome = task.Run();
        Assert.That(taskOutcome.Succeeded, Is.False);

        Assert.That(taskOutcome.FailureCause, Does.Contain($"{pair.Target}/{snapshot.Name} appeared on the target since the scan; nothing was sent and nothing there was touched"));
        var backup = (await Scans.OfAsync(pair)).Target!.Snapshots.Single();
        Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid), "the other run's complete backup is still there");
    }

    [Test]
    public async Task A_long_transfer_logs_progress_at_a_steady_pace_and_one_line_per_send()
    {
        Files.WriteRandom(Path.Combine(pair.Source, "big.bin"), 256 << 20, seed: 5);
        await SnapshotAsync();
        var log = new RecordingLog();
        var task = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = log, ProgressInterval = TimeSpan.FromMilliseconds(20) };

        Assert.That(task.Run().FailureCause, Is.Null);

        var name = System.Text.RegularExpressions.Regex.Escape(Night1);
        Assert.That(log.Lines, Has.Some.Match($@"^sending {name}: \d+(\.\d)? [KMG]iB so far, \d+\.\d MiB/s$"));
        Assert.That(log.Lines, Has.Exactly(1).Match($@"^sent {name} \(full\): 256\.\d MiB in \d+\.\d+ s, \d+\.\d MiB/s$"));
    }

    [Test]
    public async Task Dry_run_lists_each_send_with_its_parent_and_changes_nothing()
    {
        await SnapshotAsync();
        await SendAsync();
        await SnapshotAsync();
        await SnapshotAsync();
        var log = new RecordingLog();
        var task = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = log, DryRun = true };

        Assert.That(task.Run().FailureCause, Is.Null);

        var snapshots = $"{pair.SnapshotDir}/";
        Assert.That(log.Lines, Is.EqualTo(new[]
        {
            $"[dry run] would run: btrfs send -p {snapshots}{Night1} {snapshots}{Night2} | btrfs receive {pair.Target}  # incremental: {Night1} is the newest older snapshot backed up on the target",
            $"[dry run] would run: btrfs send -p {snapshots}{Night2} {snapshots}{Night3} | btrfs receive {pair.Target}  # incremental: from {Night2}, sent just before it",
        }));
        Assert.That((await Scans.OfAsync(pair)).Target!.Snapshots, Has.Count.EqualTo(1));
    }

    private async Task SnapshotAsync()
    {
        var task = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(clock), Log = new RecordingLog() };
        Assert.That(task.Run().FailureCause, Is.Null);
        clock = clock.AddDays(1);
    }

    private async Task<SendTask> SendAsync(RecordingLog? log = null)
    {
        var task = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = log ?? new RecordingLog() };
        Assert.That(task.Run().FailureCause, Is.Null);
        return task;
    }

}
