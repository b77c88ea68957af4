using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Faults;

/// <summary>Faults on the source side, a clock set back, and subvolumes made by hand: clear messages, nothing lost.</summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class SourceFaultTests : RealBtrfsFixture
{
    private static readonly DateTime FirstNight = new(2026, 11, 1, 3, 0, 0);
    private BackupPair pair = null!;

    [SetUp]
    public void CreateAPair()
    {
        pair = PairLayout.Create(Sandbox) with { SourceRetention = new RetentionPolicy(0, 2), TargetRetention = new RetentionPolicy(0, 2) };
    }

    [TearDown]
    public void MakeSnapshotDirMutableAgain() => Shell.TryRun("chattr", "-i", pair.SnapshotDir);

    [Test]
    public async Task Snapshot_dir_deleted_between_runs_is_made_again_and_the_backups_stay_intact()
    {
        Night(FirstNight);
        Night(FirstNight.AddDays(1));
        foreach (var snapshot in (await Scans.OfAsync(pair)).SnapshotDir.Snapshots)
        {
            Shell.Run("btrfs", "subvolume", "delete", snapshot.Path);
        }

        Directory.Delete(pair.SnapshotDir, recursive: true);
        var log = new RecordingLog();

        var run = NightlyDriver.Run(Sandbox.At(FirstNight.AddDays(2)), log, pair);

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        Assert.That(run.Pairs[0].Sends.Single().Send.IsIncremental, Is.False, "no common parent is left on the source, so the send is full");
        Assert.That(log.Lines, Has.Some.Contains("full send: the target holds no backup of another snapshot of this source"));
        var after = await BackupAssertions.IntactAsync(pair);
        Assert.That(after.Target!.Snapshots, Has.Count.EqualTo(2), "retention on the target kept its newest 2, the parent included");
    }

    [Test]
    public async Task Snapshot_dir_made_unwritable_fails_the_snapshot_with_btrfs_error_and_changes_nothing()
    {
        Night(FirstNight);
        Shell.Run("chattr", "+i", pair.SnapshotDir);
        var log = new RecordingLog();

        var run = NightlyDriver.Run(Sandbox.At(FirstNight.AddDays(1)), log, pair);

        Assert.That(run.Pairs[0].FailedStep, Is.EqualTo(BtrfsBackup.Tasks.BackupStep.Snapshot));
        Assert.That(run.Pairs[0].FailureCause, Does.Contain("btrfs subvolume snapshot -r").And.Contain("failed with exit code"));
        Assert.That(run.Pairs[0].Deleted, Is.Empty, "a failed pair is not purged");
        Shell.Run("chattr", "-i", pair.SnapshotDir);
        var after = await BackupAssertions.IntactAsync(pair);
        Assert.That(after.SnapshotDir.Snapshots, Has.Count.EqualTo(1));

        var next = NightlyDriver.Run(Sandbox.At(FirstNight.AddDays(2)), new RecordingLog(), pair);
        Assert.That(next.FailedPairs, Is.Empty);
        Assert.That(next.Pairs[0].Sends.Single().Send.IsIncremental, Is.True);
    }

    [Test]
    public async Task A_clock_set_back_neither_crashes_nor_deletes_within_the_limits_and_still_sends_tonights_snapshot()
    {
        Night(FirstNight);
        Night(FirstNight.AddDays(1));
        Night(FirstNight.AddDays(2));
        var log = new RecordingLog();

        // The clock jumps back a week: tonight's snapshot is older by name than the last three.
        var run = NightlyDriver.Run(Sandbox.At(FirstNight.AddDays(-5)), log, pair);

        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
        Assert.That(log.Lines, Has.Some.Contains("is dated in the future (was the clock set back?)"));
        var tonight = SnapshotNames.At(FirstNight.AddDays(-5));
        Assert.That(log.Lines, Has.Some.StartsWith("run: btrfs send -p ").And.Contains($"incremental: from {SnapshotNames.At(FirstNight.AddDays(1))}, the nearest snapshot backed up (this one is dated before it)"));
        var after = await BackupAssertions.IntactAsync(pair);
        Assert.That(run.Pairs[0].Sends.Select(send => send.Send.Snapshot.Name.ToString()), Is.EqualTo(new[] { tonight }), "tonight's snapshot is sent, whatever the clock said");
        Assert.That(after.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.Time),
            Is.SupersetOf(new[] { FirstNight.AddDays(1), FirstNight.AddDays(2) }), "the newest two by name are within keep_count = 2");
        Assert.That(after.Target!.Snapshots.Select(snapshot => snapshot.Name.Time), Does.Contain(FirstNight.AddDays(2)));
    }

    [Test]
    public async Task Subvolumes_made_by_hand_with_foreign_names_are_never_touched()
    {
        Night(FirstNight);
        var mine = BtrfsSandbox.CreateSubvolume(Path.Combine(pair.SnapshotDir, "my experiment"));
        var theirs = BtrfsSandbox.CreateSubvolume(Path.Combine(pair.Target!, "old-backup-2019"));
        var notATime = BtrfsSandbox.CreateSubvolume(Path.Combine(pair.SnapshotDir, "2026-13-01T03:00:00"));
        var everythingGoes = pair with { SourceRetention = new RetentionPolicy(0, 0), TargetRetention = new RetentionPolicy(0, 0) };

        for (var day = 1; day <= 3; day++)
        {
            var run = NightlyDriver.Run(Sandbox.At(FirstNight.AddDays(day)), new RecordingLog(), everythingGoes);
            Assert.That(run.FailedPairs, Is.Empty);
        }

        Assert.That(Directory.Exists(mine) && Directory.Exists(theirs) && Directory.Exists(notATime), Is.True);
        var after = await BackupAssertions.IntactAsync(pair);
        Assert.That(after.SnapshotDir.Foreign.Select(foreign => foreign.Name), Is.EquivalentTo(new[] { "my experiment", "2026-13-01T03:00:00" }));
        Assert.That(after.SnapshotDir.Snapshots, Has.Count.EqualTo(1), "ours are purged down to the protected newest");
    }

    private void Night(DateTime now)
    {
        var log = new RecordingLog();
        var run = NightlyDriver.Run(Sandbox.At(now), log, pair);
        Assert.That(run.FailedPairs, Is.Empty, log.ToString());
    }
}
