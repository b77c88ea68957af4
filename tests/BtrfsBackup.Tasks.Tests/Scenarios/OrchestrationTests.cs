using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using BtrfsBackup.Locking;
using BtrfsBackup.Naming;
using BtrfsBackup.Reporting;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Model;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>
/// How <see cref="BackupRun"/> drives the steps, on the model (fast, no root): why each step is
/// skipped (every <see cref="SkipKind"/>), that a dry run changes nothing and plans exactly what the
/// real run then does, that one pair's failure does not stop another, that an interruption skips
/// every later step, that another process's lock stops a run before it touches anything, and the
/// faults only the model can stage on demand (a full or read-only backup disk, a receive killed
/// after it made its subvolume).
/// </summary>
[TestFixture]
public sealed class OrchestrationTests
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy KeepOne = new(0, 1);
    private ModelWorld world = null!;

    [SetUp]
    public void CreateWorld() => world = new ModelWorld();

    [TearDown]
    public void NoLockOutlivesItsRun()
    {
        world.Dispose();
        Assert.That(world.LockTable.Held, Is.Empty, "every run released its locks");
    }

    [Test]
    public void A_pair_whose_scan_fails_has_every_later_step_skipped_as_pair_failed()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne) with { Source = Path.Combine(world.SystemDisk, "not-there") };
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, pair);

        Assert.That(run[pair.Name].FailedStep, Is.EqualTo(BackupStep.Scan), log.ToString());
        Assert.That(run[pair.Name].FailureCause, Is.EqualTo($"source {pair.Source} does not exist or is not a directory"));
        foreach (var step in new[] { BackupStep.Snapshot, BackupStep.Send, BackupStep.Purge })
        {
            AssertSkipped(run, log, pair, step, SkipKind.PairFailed, "the pair failed at Scan");
        }
    }

    [Test]
    public void A_snapshot_only_pair_has_its_send_skipped_as_no_target()
    {
        var pair = world.CreatePair("home", KeepOne, null, withTarget: false);
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, pair);

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        AssertSkipped(run, log, pair, BackupStep.Send, SkipKind.NoTarget, "no target configured (snapshot-only pair)");
        Assert.That(run[pair.Name].SnapshotCreated, Is.Not.Null);
    }

    [Test]
    public void An_unplugged_backup_disk_has_the_send_skipped_as_target_unreachable_with_a_warning()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        world.Unplug();
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, pair);

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        var detail = $"target {pair.Target} does not exist (is the backup disk mounted?)";
        AssertSkipped(run, log, pair, BackupStep.Send, SkipKind.TargetUnreachable, detail);
        Assert.That(log.Lines, Has.Some.EqualTo($"warning: Skipping Send:home: {detail}."), "unreachable is a warning");
        Assert.That(SkipKind.TargetUnreachable.Describe(), Is.EqualTo("target not mounted"));
    }

    [Test]
    public void A_backup_with_nothing_new_has_its_send_skipped_as_nothing_to_send()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        Nightly(FirstNight, pair);
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight.AddHours(1), TimeZoneInfo.Utc), log, [BackupStep.Scan, BackupStep.Send], new BackupRunOptions(), pair);

        AssertSkipped(run, log, pair, BackupStep.Send, SkipKind.NothingToSend,
            $"nothing new to send: {NameAt(FirstNight)} is backed up and no newer snapshot is waiting");
    }

    [Test]
    public void A_first_night_has_its_purge_skipped_as_nothing_to_purge()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, pair);

        AssertSkipped(run, log, pair, BackupStep.Purge, SkipKind.NothingToPurge,
            "nothing to purge (source: every snapshot is within retention; target: every backup is within retention)");
    }

    [Test]
    public void An_interruption_between_steps_skips_every_later_step_of_every_pair()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var work = world.CreatePair("work", KeepOne, KeepOne);
        var log = new RecordingLog();
        using var run = new BackupRun([home, work], new BackupRunOptions(), log, world.At(FirstNight, TimeZoneInfo.Utc));
        Drive(run, home, BackupStep.Scan, BackupStep.Snapshot);

        run.Interruption.Interrupt("SIGTERM");
        Drive(run, home, BackupStep.Send, BackupStep.Purge);
        Drive(run, work, NightlyDriver.Nightly);

        Assert.That(run.FailedPairs, Is.Empty, "an interruption between steps fails nothing");
        AssertSkipped(run, log, home, BackupStep.Send, SkipKind.Interrupted, "the run was interrupted by SIGTERM");
        AssertSkipped(run, log, home, BackupStep.Purge, SkipKind.Interrupted, "the run was interrupted by SIGTERM");
        AssertSkipped(run, log, work, BackupStep.Scan, SkipKind.Interrupted, "the run was interrupted by SIGTERM");
        Assert.That(world.SubvolumesIn(home.SnapshotDir), Has.Count.EqualTo(1), "the snapshot taken before stays");
        Assert.That(world.SubvolumesIn(home.Target!), Is.Empty);
        Assert.That(world.Names(work.SnapshotDir), Is.Empty, "the other pair was not touched");
    }

    [Test]
    public void An_interruption_during_a_transfer_removes_the_partial_fails_the_send_and_skips_the_rest()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var work = world.CreatePair("work", KeepOne, KeepOne);
        var log = new RecordingLog();
        using var run = new BackupRun([home, work], new BackupRunOptions(), log, world.At(FirstNight, TimeZoneInfo.Utc));
        world.Machine.Faults.InterruptNextTransfer(() => run.Interruption.Interrupt("SIGINT"));

        Drive(run, home, NightlyDriver.Nightly);
        Drive(run, work, NightlyDriver.Nightly);

        var name = NameAt(FirstNight);
        var partial = Path.Combine(home.Target!, name);
        Assert.That(world.Machine.Faults.Pending, Is.Zero, "the transfer was interrupted");
        Assert.That(run[home.Name].FailedStep, Is.EqualTo(BackupStep.Send), log.ToString());
        Assert.That(run[home.Name].FailureCause, Is.EqualTo($"sending {name} was interrupted; the partial subvolume {partial} was deleted"));
        Assert.That(run[home.Name].Deleted.Select(step => (step.Path, step.Reason)),
            Is.EqualTo(new[] { (partial, $"partial receive of {name}, removed because the transfer was interrupted") }));
        AssertSkipped(run, log, home, BackupStep.Purge, SkipKind.Interrupted, "the run was interrupted by SIGINT");
        AssertSkipped(run, log, work, BackupStep.Scan, SkipKind.Interrupted, "the run was interrupted by SIGINT");
        Assert.That(world.Names(home.Target!), Is.EqualTo(new[] { TargetRecord.FileName }), "no partial is left, only the record");
        Assert.That(TargetRecord.Parse(world.Machine.ReadFile(TargetRecord.PathIn(home.Target!)) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : "", "record").Receiving,
            Is.Null, "the record no longer names a receive under way");
    }

    [Test]
    public void A_dry_run_changes_nothing_and_plans_exactly_what_the_real_run_then_does()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        Nightly(FirstNight, pair);
        Nightly(FirstNight.AddDays(1), pair);
        world.Unplug();
        Nightly(FirstNight.AddDays(2), pair);
        world.Plug();
        var before = world.Machine.Describe();
        var at = FirstNight.AddDays(3);
        var dryLog = new RecordingLog();

        var dry = DryRunAsCakeDoes(world.At(at, TimeZoneInfo.Utc), dryLog, pair);

        Assert.That(dry.FailedPairs, Is.Empty, dryLog.ToString());
        Assert.That(world.Machine.Describe(), Is.EqualTo(before), "a dry run changes nothing on any filesystem");
        var planned = Commands(dryLog, "[dry run] would run: ");
        var realLog = new RecordingLog();
        var real = NightlyDriver.Run(world.At(at, TimeZoneInfo.Utc), realLog, pair);
        Assert.That(real.FailedPairs, Is.Empty, realLog.ToString());
        Assert.That(Commands(realLog, "run: "), Is.EqualTo(planned), $"the real run does what the dry run planned\n--- dry run\n{dryLog}\n--- real run\n{realLog}");
        Assert.That(planned.Select(line => line.Split(' ')[1..3]), Is.EqualTo(new[]
        {
            new[] { "subvolume", "snapshot" },
            ["send", "-p"],
            ["send", "-p"],
            ["subvolume", "delete"],
            ["subvolume", "delete"],
            ["subvolume", "delete"],
            ["subvolume", "delete"],
        }), "tonight's snapshot, two sends (last night's was not sent), and two deletions on each side (keep_count = 1)");
        Assert.That(dry[pair.Name].Sends.Select(sent => sent.ToString()), Is.EqualTo(real[pair.Name].Sends.Select(sent => $"{sent.Send.Snapshot.Name} ({sent.Send.Kind})")));
        Assert.That(dry[pair.Name].Deleted.Select(step => step.ToString()), Is.EqualTo(real[pair.Name].Deleted.Select(step => step.ToString())));
    }

    [Test]
    public void A_pair_that_fails_at_scan_does_not_stop_the_next_one()
    {
        var broken = world.CreatePair("broken", KeepOne, KeepOne);
        var home = world.CreatePair("home", KeepOne, KeepOne);
        // The broken pair's source is a plain directory, not a subvolume.
        var plain = Path.Combine(world.SystemDisk, "plain");
        world.CreateDirectory(plain);
        broken = broken with { Source = plain };
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, broken, home);

        Assert.That(run.FailedPairs.Select(pair => (pair.Pair.Name, pair.FailedStep)), Is.EqualTo(new[] { ("broken", (BackupStep?)BackupStep.Scan) }), log.ToString());
        Assert.That(run[broken.Name].FailureCause, Does.StartWith($"source {plain} is not a btrfs subvolume (only subvolumes can be snapshotted). `btrfs subvolume show {plain}` failed with exit code 1: ERROR: Not a Btrfs subvolume: Invalid argument"));
        Assert.That(run[home.Name].Sends, Has.Count.EqualTo(1), "the next pair is backed up");
        Assert.That(world.SubvolumesIn(home.Target!), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_receive_killed_after_making_its_subvolume_fails_that_pair_only_and_the_partial_is_deleted()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var work = world.CreatePair("work", KeepOne, KeepOne);
        world.KillNextReceive();
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, home, work);

        var name = NameAt(FirstNight);
        var partial = Path.Combine(home.Target!, name);
        Assert.That(run.FailedPairs.Select(pair => pair.FailureSummary), Is.EqualTo(new[]
        {
            $"home at Send: sending {name} failed; the partial subvolume {partial} was deleted. `btrfs receive {home.Target}` failed with exit code 137.",
        }), log.ToString());
        Assert.That(run[home.Name].Deleted.Select(step => (step.Path, step.Reason)),
            Is.EqualTo(new[] { (partial, $"partial receive of {name}, removed because the transfer failed") }));
        Assert.That(world.SubvolumesIn(home.Target!), Is.Empty);
        Assert.That(run[work.Name].Sends, Has.Count.EqualTo(1), "the other pair's send ran");
    }

    [Test]
    public void Another_process_holding_the_pairs_lock_stops_the_run_before_it_touches_anything()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        Nightly(FirstNight, pair);
        var otherProcess = new ModelLocks(world.LockTable, processId: 777);
        var log = new RecordingLog();
        string before;
        BackupRun run;
        using (otherProcess.Acquire(pair.Target!))
        {
            before = world.Machine.Describe();
            run = NightlyDriver.Run(world.At(FirstNight.AddDays(1), TimeZoneInfo.Utc), log, pair);
            Assert.That(world.Machine.Describe(), Is.EqualTo(before), "nothing was touched");
        }

        Assert.That(run[pair.Name].FailedStep, Is.EqualTo(BackupStep.Scan), log.ToString());
        Assert.That(run[pair.Name].FailureCause, Is.EqualTo(
            $"locked by another run (process 777), holding {ModelLocks.LockFile(pair.Target!)}; stopped before touching anything, run again when it has finished"));
        Assert.That(ModelLocks.LockFile(pair.Target!), Does.StartWith("/run/btrfsbackup/locks/").And.EndWith(".lock"));
        Nightly(FirstNight.AddDays(1), pair);
    }

    [Test]
    public async Task A_run_stopped_while_it_waits_for_a_pairs_lock_says_so_and_the_pair_counts_as_interrupted()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var sandbox = Directory.CreateTempSubdirectory("btrfsbackup-locks-");
        try
        {
            // The model's filesystems with real lock files, so that another process (flock) can hold one.
            var runtime = new RuntimeDirectory(Path.Combine(sandbox.FullName, "run"));
            var model = world.At(FirstNight, TimeZoneInfo.Utc);
            var environment = new RunEnvironment { Host = model.Host, Transfers = model.Transfers, Locks = new FileLocks(runtime), Clock = model.Clock };
            var lockFile = new FileLocks(runtime).PathFor((await model.Host.InspectAsync(home.SnapshotDir, default)).RealPath ?? home.SnapshotDir);
            runtime.LocksFolder();
            await using var holder = await FlockHolder.StartAsync(lockFile);
            using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var log = new BarrierLog("waiting up to 600 s");
            using var run = new BackupRun([home], new BackupRunOptions { LockTimeout = TimeSpan.FromSeconds(600) }, log, environment);
            var scan = Task.Factory.StartNew(() => Drive(run, home, BackupStep.Scan), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            // The barrier: the scan has met the held lock and says it waits (or it ended, which fails here).
            await Task.WhenAny(log.Seen, scan).WaitAsync(hangGuard.Token);
            Assert.That(log.Seen.IsCompleted, Is.True, $"the scan should wait for the lock:\n{log}");
            run.Interruption.Interrupt("SIGTERM");
            await scan.WaitAsync(hangGuard.Token);

            Assert.That(run[home.Name].FailedStep, Is.EqualTo(BackupStep.Scan), log.ToString());
            Assert.That(run[home.Name].FailureCause, Is.EqualTo(
                $"the run was stopped while waiting for the lock {lockFile}, held by another run (process {holder.ProcessId}); nothing was touched"));
            Assert.That(RunRecords.OutcomeOf(run[home.Name], run), Is.EqualTo(RunOutcomes.Interrupted));
            Assert.That(world.Names(home.SnapshotDir), Is.Empty, "nothing was touched");
        }
        finally
        {
            sandbox.Delete(recursive: true);
        }
    }

    [Test]
    public void A_full_backup_disk_fails_the_send_before_anything_is_received_and_once_emptied_the_next_night_catches_up()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        Nightly(FirstNight, pair);
        world.Backup.IsFull = true;
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight.AddDays(1), TimeZoneInfo.Utc), log, pair);

        var second = NameAt(FirstNight.AddDays(1));
        Assert.That(run[pair.Name].FailureSummary, Is.EqualTo(
            $"home at Send: sending {second} did not start: cannot write {TargetRecord.PathIn(pair.Target!)}: No space left on device; nothing was sent"), log.ToString());
        Assert.That(world.SubvolumesIn(pair.Target!).Select(backup => backup.Name), Is.EqualTo(new[] { NameAt(FirstNight) }));
        world.Backup.IsFull = false;
        var next = Nightly(FirstNight.AddDays(2), pair);
        Assert.That(next[pair.Name].Sends.Select(sent => sent.Send.Snapshot.Name.ToString()), Is.EqualTo(new[] { second, NameAt(FirstNight.AddDays(2)) }));
    }

    [Test]
    public void A_backup_disk_mounted_read_only_fails_the_send_and_is_left_exactly_as_it_was()
    {
        var pair = world.CreatePair("home", KeepOne, KeepOne);
        Nightly(FirstNight, pair);
        world.Backup.IsReadOnly = true;
        var generation = world.Backup.Generation;
        var log = new RecordingLog();

        var run = NightlyDriver.Run(world.At(FirstNight.AddDays(1), TimeZoneInfo.Utc), log, pair);

        Assert.That(run[pair.Name].FailureSummary, Is.EqualTo(
            $"home at Send: sending {NameAt(FirstNight.AddDays(1))} did not start: cannot write {TargetRecord.PathIn(pair.Target!)}: Read-only file system; nothing was sent"), log.ToString());
        Assert.That(world.Backup.Generation, Is.EqualTo(generation), "not one change on the backup disk");
    }

    [Test]
    public void Pairs_on_one_filesystem_share_one_listing_and_one_commit_when_every_scan_comes_first_as_the_nightly_orders_them()
    {
        var pairs = new[] { "home", "work", "mail" }.Select(name => world.CreatePair(name, KeepOne, KeepOne) with { SnapshotWhen = SnapshotWhen.Changed }).ToArray();
        var log = new RecordingLog();
        var run = new BackupRun(pairs, new BackupRunOptions(), log, world.At(FirstNight, TimeZoneInfo.Utc));
        try
        {
            foreach (var pair in pairs)
            {
                Step(run, pair.Name, BackupStep.Scan);
            }

            Assert.That(Lists(), Is.EqualTo(new[] { world.SystemDisk, world.BackupDisk }), "one listing per filesystem for the three pairs");
            Assert.That(world.ModelHost.BtrfsCommands.Count(command => command.Arguments.Take(2).SequenceEqual(["filesystem", "sync"])), Is.EqualTo(1), "one commit of the source filesystem");
            foreach (var pair in pairs)
            {
                Step(run, pair.Name, BackupStep.Snapshot);
                Step(run, pair.Name, BackupStep.Send);
                Step(run, pair.Name, BackupStep.Purge);
            }
        }
        finally
        {
            run.Dispose();
        }

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        Assert.That(pairs.Select(pair => world.SubvolumesIn(pair.Target!).Count), Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(Lists(), Has.Count.EqualTo(2), "nothing listed again after the changes");
    }

    [Test]
    public void A_scan_after_another_pairs_step_lists_the_filesystems_again_and_sees_the_change()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var work = world.CreatePair("work", KeepOne, KeepOne);
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), new RecordingLog(), home, work);

        Assert.That(run.FailedPairs, Is.Empty);
        Assert.That(Lists(), Is.EqualTo(new[] { world.SystemDisk, world.BackupDisk, world.SystemDisk, world.BackupDisk }),
            "work's scan, after home's snapshot and send changed both filesystems, lists them again");
        Assert.That(world.SubvolumesIn(work.Target!), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_pair_whose_lock_is_taken_after_the_run_listed_its_filesystems_lists_them_again()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var work = world.CreatePair("work", KeepOne, KeepOne);
        var otherProcess = new ModelLocks(world.LockTable, processId: 777);
        var log = new RecordingLog();
        var run = new BackupRun([home, work], new BackupRunOptions(), log, world.At(FirstNight, TimeZoneInfo.Utc));
        try
        {
            // Another run holds work's lock while this one scans home (and lists both filesystems) ...
            using (otherProcess.Acquire(work.Target!))
            {
                Step(run, home.Name, BackupStep.Scan);
            }

            // ... and may have changed work's folders before letting go: work's scan must not use that listing.
            Step(run, work.Name, BackupStep.Scan);
        }
        finally
        {
            run.Dispose();
        }

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        Assert.That(Lists(), Is.EqualTo(new[] { world.SystemDisk, world.BackupDisk, world.SystemDisk, world.BackupDisk }));
    }

    private List<string> Lists() =>
        world.ModelHost.BtrfsCommands.Where(command => command.Arguments.Take(2).SequenceEqual(["subvolume", "list"]) && !command.Arguments.Contains("-r"))
            .Select(command => command.Arguments[^1]).ToList();

    private static void Step(BackupRun run, string pair, BackupStep step)
    {
        if (run.ShouldRun(pair, step))
        {
            run.Run(pair, step);
        }
    }

    private BackupRun Nightly(DateTimeOffset at, params BackupPair[] pairs)
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(world.At(at, TimeZoneInfo.Utc), log, pairs);
        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        return run;
    }

    // Cake's --dryrun evaluates every criterion and skips the bodies: the plan is made in ShouldRun alone.
    private static BackupRun DryRunAsCakeDoes(RunEnvironment environment, RecordingLog log, params BackupPair[] pairs)
    {
        using var run = new BackupRun(pairs, new BackupRunOptions { DryRun = true }, log, environment);
        foreach (var pair in pairs)
        {
            foreach (var step in NightlyDriver.Nightly)
            {
                run.ShouldRun(pair.Name, step);
            }
        }

        return run;
    }

    // As the recipe's tasks do: the criteria, then the body when they pass.
    private static void Drive(BackupRun run, BackupPair pair, params BackupStep[] steps)
    {
        foreach (var step in steps)
        {
            if (run.ShouldRun(pair.Name, step))
            {
                try
                {
                    run.Run(pair.Name, step);
                }
                catch (BackupException)
                {
                    // Kept in the run as the pair's failure.
                }
            }
        }
    }

    private static void AssertSkipped(BackupRun run, RecordingLog log, BackupPair pair, BackupStep step, SkipKind kind, string detail)
    {
        var decision = run.Decide(pair.Name, step);
        Assert.That((decision.Skip, decision.Detail), Is.EqualTo(((SkipKind?)kind, detail)), $"{step}:{pair.Name}\n{log}");
        Assert.That(SkipKinds.For(step), Does.Contain(kind), $"{kind} is one of the reasons {step} can be skipped for");
        Assert.That(run[pair.Name].Skipped, Does.Contain($"{step}: {detail}"));
        Assert.That(log.Lines, Has.Some.EndsWith($"Skipping {step}:{pair.Name}: {detail}."));
    }

    // The commands of a log's plan lines, each with its reason: "btrfs ...  # why".
    private static List<string> Commands(RecordingLog log, string prefix) =>
        log.Lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..]).ToList();

    private static string NameAt(DateTimeOffset instant) => SnapshotName.Create(instant, null).ToString();

    // Keeps every line, and opens a barrier when a warning contains the text waited for; the run logs from another thread.
    private sealed class BarrierLog(string waitedFor) : BtrfsBackup.Logging.ITaskLog
    {
        private readonly RecordingLog lines = new();
        private readonly TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => seen.Task;

        public void Information(string message) => Keep(() => lines.Information(message));

        public void Warning(string message)
        {
            Keep(() => lines.Warning(message));
            if (message.Contains(waitedFor, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }

        public void Error(string message) => Keep(() => lines.Error(message));

        public void Verbose(string message) => Keep(() => lines.Verbose(message));

        public override string ToString()
        {
            lock (lines)
            {
                return lines.ToString();
            }
        }

        private void Keep(Action add)
        {
            lock (lines)
            {
                add();
            }
        }
    }
}
