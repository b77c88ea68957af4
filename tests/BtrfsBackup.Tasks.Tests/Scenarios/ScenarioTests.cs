using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>
/// What the contract promises over nights of use, written once against <see cref="ScenarioWorld"/>
/// and run on each backend (<see cref="ModelScenarioTests"/>, <see cref="RealBtrfsScenarioTests"/>,
/// <see cref="SshBtrfsScenarioTests"/>). Every run goes through <see cref="BackupRun"/> in process, at
/// a fixed instant and zone; what is on each side is read back from the world, not from the tool. What
/// the tool says is compared in the local wording (<see cref="ScenarioWorld.Normalize"/>).
/// </summary>
public abstract class ScenarioTests
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private ScenarioWorld world = null!;

    [SetUp]
    public void CreateWorld() => world = MakeWorld();

    [TearDown]
    public void RemoveWorld() => world.Dispose();

    [Test]
    public void Nightlies_send_full_then_incremental_backups_match_their_snapshots_and_retention_keeps_what_the_contract_says()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 2), new RetentionPolicy(0, 3));
        var content = new Dictionary<string, SortedDictionary<string, string>>();
        var names = new List<string>();

        for (var night = 0; night < 6; night++)
        {
            world.WriteFile(Path.Combine(pair.Source, "night.txt"), $"night {night}\n");
            world.AppendFile(Path.Combine(pair.Source, "journal.txt"), $"night {night}\n");
            if (night == 3)
            {
                world.DeleteFile(Path.Combine(pair.Source, "hello.txt"));
            }

            var at = FirstNight.AddDays(night);
            var name = NameAt(at, Utc);
            content[name] = world.Digests(pair.Source);
            var (run, log) = GoodNight(at, Utc, pair);

            Assert.That(Sends(run), Is.EqualTo(new[] { (name, names.LastOrDefault()) }),
                $"night {night}: tonight's snapshot is sent, {(night == 0 ? "in full" : "incrementally from the night before")}\n{log}");
            names.Add(name);
            AssertBackupsMatch(pair, content);
            Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(names.TakeLast(2)), $"night {night}: keep_count = 2 on the source\n{log}");
            Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(names.TakeLast(3)), $"night {night}: keep_count = 3 on the target\n{log}");
        }

        var backups = world.SubvolumesIn(pair.Target!);
        Assert.That(backups.Skip(1).Select(backup => backup.ParentUuid), Is.EqualTo(backups.SkipLast(1).Select(backup => (Guid?)backup.Uuid)),
            "each backup was received as a snapshot of the backup of the night before");
    }

    [Test]
    public void With_snapshot_when_changed_an_unchanged_source_gets_no_new_snapshot_and_a_change_gets_one_that_is_sent()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 5), new RetentionPolicy(0, 5)) with { SnapshotWhen = SnapshotWhen.Changed };
        var first = NameAt(FirstNight, Utc);
        GoodNight(FirstNight, Utc, pair);

        var (quiet, quietLog) = GoodNight(FirstNight.AddDays(1), Utc, pair);

        Assert.That(quiet[pair.Name].SnapshotCreated, Is.Null, quietLog.ToString());
        Assert.That(quiet[pair.Name].Skipped.Take(2), Is.EqualTo(new[]
        {
            $"Snapshot: unchanged since {first} (snapshot_when = \"changed\")",
            $"Send: nothing new to send: {first} is backed up and no newer snapshot is waiting",
        }), quietLog.ToString());
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { first }));

        world.AppendFile(Path.Combine(pair.Source, "hello.txt"), "!");
        var changedAt = FirstNight.AddDays(2);
        var (changed, changedLog) = GoodNight(changedAt, Utc, pair);

        Assert.That(Sends(changed), Is.EqualTo(new[] { (NameAt(changedAt, Utc), (string?)first) }), changedLog.ToString());
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { first, NameAt(changedAt, Utc) }));
        Assert.That(world.Digests(Path.Combine(pair.Target!, NameAt(changedAt, Utc))), Is.EqualTo(world.Digests(pair.Source)));
    }

    [Test]
    public void The_backup_disk_unplugged_for_some_nights_gets_nothing_written_underneath_and_every_snapshot_once_it_is_back()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 1), new RetentionPolicy(0, 10));
        var names = new List<string> { NameAt(FirstNight, Utc) };
        GoodNight(FirstNight, Utc, pair);
        world.Unplug();
        // Under the empty mount point, the folder the target names (made by hand, or by an earlier mistake): the trap.
        world.CreateDirectory(pair.Target!);

        for (var night = 1; night <= 2; night++)
        {
            world.WriteFile(Path.Combine(pair.Source, "night.txt"), $"night {night}\n");
            var at = FirstNight.AddDays(night);
            var (run, log) = GoodNight(at, Utc, pair);
            names.Add(NameAt(at, Utc));

            Assert.That(run.Decide(pair.Name, BackupStep.Send).Skip, Is.EqualTo(SkipKind.TargetUnreachable), $"night {night}\n{log}");
            Assert.That(Said(log), Has.Some.StartsWith($"warning: Skipping Send:home: target {pair.Target} is on the source's own filesystem"), $"night {night}");
            Assert.That(world.Names(pair.Target!), Is.Empty, $"night {night}: nothing is written under the empty mount point");
            Assert.That(world.Names(world.BackupDisk), Is.EqualTo(new[] { "home" }), $"night {night}: nothing is written under the empty mount point");
            Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(names),
                $"night {night}: keep_count = 1, but the last one sent is the parent and the others are not sent yet\n{log}");
        }

        world.Plug();
        var back = FirstNight.AddDays(3);
        var (afterwards, backLog) = GoodNight(back, Utc, pair);
        names.Add(NameAt(back, Utc));

        Assert.That(Sends(afterwards), Is.EqualTo(names.Skip(1).Zip(names, (sent, parent) => (sent, (string?)parent))),
            $"every snapshot not sent yet is sent, oldest first, each from the one before\n{backLog}");
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(names));
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(names.TakeLast(1)), "all sent: keep_count = 1 applies again");
        world.Unplug();
        Assert.That(world.Names(pair.Target!), Is.Empty, "still nothing under the mount point");
        world.Plug();
    }

    [Test]
    public void A_receive_that_dies_fails_the_pair_at_send_leaves_no_partial_and_the_next_night_completes_incrementally()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 1), new RetentionPolicy(0, 10));
        var first = NameAt(FirstNight, Utc);
        GoodNight(FirstNight, Utc, pair);
        // Large enough that a receive killed as it starts cannot have finished already.
        world.WriteRandomFile(Path.Combine(pair.Source, "large.bin"), 32 << 20, seed: 3);
        world.KillNextReceive();
        var second = NameAt(FirstNight.AddDays(1), Utc);

        var (run, log) = Night(FirstNight.AddDays(1), Utc, pair);

        var home = run[pair.Name];
        Assert.That(home.FailedStep, Is.EqualTo(BackupStep.Send), log.ToString());
        Assert.That(Said(home.FailureCause), Does.StartWith($"sending {second} failed; "));
        Assert.That(Said(home.FailureCause), Does.Contain($"the partial subvolume {Path.Combine(pair.Target!, second)} was deleted").Or.Contain("nothing was left on the target"));
        Assert.That(home.Deleted.Select(deletion => Said(deletion.Reason)), Has.All.StartWith($"partial receive of {second}"), "only the partial is deleted");
        Assert.That(run.Decide(pair.Name, BackupStep.Purge).Skip, Is.EqualTo(SkipKind.PairFailed), "a failed pair is not purged");
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(new[] { first }), "no partial receive is left on the target");
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { first, second }));

        var third = NameAt(FirstNight.AddDays(2), Utc);
        var (next, nextLog) = GoodNight(FirstNight.AddDays(2), Utc, pair);

        Assert.That(Sends(next), Is.EqualTo(new[] { (second, (string?)first), (third, (string?)second) }), nextLog.ToString());
        AssertBackupsMatch(pair, new Dictionary<string, SortedDictionary<string, string>>());
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(new[] { first, second, third }));
    }

    [Test]
    public void A_backup_made_writable_by_hand_is_left_alone_never_a_parent_and_the_next_night_sends_from_the_newest_read_only_backup()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 5), new RetentionPolicy(0, 2));
        var names = Enumerable.Range(0, 4).Select(night => NameAt(FirstNight.AddDays(night), Utc)).ToArray();
        GoodNight(FirstNight, Utc, pair);
        GoodNight(FirstNight.AddDays(1), Utc, pair);
        var edited = Path.Combine(pair.Target!, names[1]);
        var before = world.Show(edited)!;
        world.MakeWritable(edited);
        world.WriteFile(Path.Combine(edited, "user-edit.txt"), "restored by hand\n");

        var (third, log) = GoodNight(FirstNight.AddDays(2), Utc, pair);

        Assert.That(Said(log), Has.Some.EqualTo($"warning: {edited} is writable: not a backup, left alone."));
        Assert.That(Sends(third), Is.EqualTo(new[] { (names[2], (string?)names[0]) }), $"sent from the newest read-only backup's snapshot\n{log}");
        Assert.That(world.Show(Path.Combine(pair.Target!, names[2]))!.ParentUuid, Is.EqualTo(world.Show(Path.Combine(pair.Target!, names[0]))!.Uuid),
            "received as a snapshot of the read-only backup, not of the writable one");

        var (fourth, fourthLog) = GoodNight(FirstNight.AddDays(3), Utc, pair);

        Assert.That(Sends(fourth), Is.EqualTo(new[] { (names[3], (string?)names[2]) }), fourthLog.ToString());
        var writable = world.Show(edited);
        Assert.That(writable?.Uuid, Is.EqualTo(before.Uuid), "the writable backup is still there");
        Assert.That(writable?.IsReadOnly, Is.False);
        Assert.That(world.Digests(edited), Does.ContainKey("user-edit.txt"), "with the user's file in it");
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(new[] { names[1], names[2], names[3] }),
            $"keep_count = 2 counts the read-only backups only: the first goes, the writable one stays\n{fourthLog}");
    }

    [Test]
    public void A_snapshot_of_another_subvolume_in_the_snapshot_dir_is_never_sent_counted_or_deleted()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 2), new RetentionPolicy(0, 10));
        var other = Path.Combine(world.SystemDisk, "root");
        world.CreateSubvolume(other);
        world.WriteFile(Path.Combine(other, "etc.txt"), "another subvolume\n");
        GoodNight(FirstNight, Utc, pair);
        // Named for noon between the first two nights: newer than the first night's snapshot.
        var foreignPath = Path.Combine(pair.SnapshotDir, NameAt(FirstNight.AddHours(9), Utc));
        world.SnapshotReadOnly(other, foreignPath);
        var foreign = world.Show(foreignPath)!;
        var names = Enumerable.Range(0, 4).Select(night => NameAt(FirstNight.AddDays(night), Utc)).ToArray();

        var (second, log) = GoodNight(FirstNight.AddDays(1), Utc, pair);

        Assert.That(Sends(second), Is.EqualTo(new[] { (names[1], (string?)names[0]) }), log.ToString());
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { names[0], foreign.Name, names[1] }),
            "keep_count = 2 counts the pair's own snapshots only: the first night's is kept");

        GoodNight(FirstNight.AddDays(2), Utc, pair);
        var (fourth, fourthLog) = GoodNight(FirstNight.AddDays(3), Utc, pair);

        Assert.That(Sends(fourth), Is.EqualTo(new[] { (names[3], (string?)names[2]) }), fourthLog.ToString());
        Assert.That(world.Show(foreignPath), Is.EqualTo(foreign), "the foreign snapshot is where it was, unchanged");
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { foreign.Name, names[2], names[3] }), "the pair's own are purged around it");
        Assert.That(world.SubvolumesIn(pair.Target!).Select(backup => backup.ReceivedUuid), Has.None.EqualTo(foreign.Uuid), "it was never sent");
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EqualTo(names));
    }

    [Test]
    public void Two_runs_across_the_end_of_summer_time_in_Berlin_are_both_sent_and_purged_in_the_order_they_were_taken()
    {
        var pair = world.CreatePair("home", new RetentionPolicy(0, 1), new RetentionPolicy(0, 10));
        // 02:50 CEST, then twenty minutes later 02:10 CET: the second is earlier on the wall clock.
        var firstAt = new DateTimeOffset(2026, 10, 25, 0, 50, 0, TimeSpan.Zero);
        var secondAt = firstAt.AddMinutes(20);
        var first = NameAt(firstAt, Berlin);
        var second = NameAt(secondAt, Berlin);
        Assert.That((first, second), Is.EqualTo(("2026-10-25T02:50:00+02:00", "2026-10-25T02:10:00+01:00")));

        var (firstRun, firstLog) = GoodNight(firstAt, Berlin, pair);
        world.WriteFile(Path.Combine(pair.Source, "between.txt"), "written between the runs\n");
        var (secondRun, secondLog) = GoodNight(secondAt, Berlin, pair);

        Assert.That(Sends(firstRun), Is.EqualTo(new[] { (first, (string?)null) }), firstLog.ToString());
        Assert.That(Sends(secondRun), Is.EqualTo(new[] { (second, (string?)first) }), $"the second run's snapshot is the newer one\n{secondLog}");
        Assert.That(NamesOfSubvolumes(pair.SnapshotDir), Is.EqualTo(new[] { second }), "keep_count = 1 keeps the newest by instant: the second run's");
        Assert.That(NamesOfSubvolumes(pair.Target!), Is.EquivalentTo(new[] { first, second }), "both were sent, none deleted");
        Assert.That(world.Digests(Path.Combine(pair.Target!, second)), Does.ContainKey("between.txt"));
        Assert.That(firstLog.Lines.Concat(secondLog.Lines), Has.None.Contains("clock set back"));
    }

    [Test]
    public void A_second_configuration_naming_the_same_target_is_refused_at_send_and_the_first_ones_backups_survive()
    {
        var home = world.CreatePair("home", new RetentionPolicy(0, 1), new RetentionPolicy(0, 1), targetFolder: "shared");
        var work = world.CreatePair("work", new RetentionPolicy(0, 1), new RetentionPolicy(0, 1), targetFolder: "shared");
        GoodNight(FirstNight, Utc, home);
        var homeBackup = world.SubvolumesIn(home.Target!).Single();

        var (other, log) = Night(FirstNight.AddHours(1), Utc, work);

        var refused = other[work.Name];
        Assert.That(refused.FailedStep, Is.EqualTo(BackupStep.Send), log.ToString());
        Assert.That(Said(refused.FailureCause), Does.Contain($"target {home.Target} belongs to another source: source {home.Source}"));
        Assert.That(other.Decide(work.Name, BackupStep.Purge).Skip, Is.EqualTo(SkipKind.PairFailed), "nothing is purged for the refused pair");
        Assert.That(world.SubvolumesIn(home.Target!), Is.EqualTo(new[] { homeBackup }), "the first configuration's backup is untouched, and nothing else is there");
        Assert.That(NamesOfSubvolumes(work.SnapshotDir), Has.Count.EqualTo(1), "the refused pair still took its snapshot");

        var (next, nextLog) = GoodNight(FirstNight.AddDays(1), Utc, home);
        Assert.That(Sends(next), Is.EqualTo(new[] { (NameAt(FirstNight.AddDays(1), Utc), (string?)homeBackup.Name) }), nextLog.ToString());
    }

    /// <summary>The world this fixture's scenarios run in, new for each test.</summary>
    internal abstract ScenarioWorld MakeWorld();

    private (BackupRun Run, RecordingLog Log) Night(DateTimeOffset at, TimeZoneInfo zone, params BackupPair[] pairs)
    {
        var log = new RecordingLog();
        var run = world.Run(at, zone, log, NightlyDriver.Nightly, pairs);
        TestContext.Out.WriteLine($"--- nightly at {at:u} in {zone.Id} on {world.Name}\n{log}");
        return (run, log);
    }

    // A night that must succeed for every pair.
    private (BackupRun Run, RecordingLog Log) GoodNight(DateTimeOffset at, TimeZoneInfo zone, params BackupPair[] pairs)
    {
        var (run, log) = Night(at, zone, pairs);
        Assert.That(run.FailedPairs.Select(pair => pair.FailureSummary), Is.Empty, log.ToString());
        return (run, log);
    }

    // What the tool said, in the local host's wording.
    private List<string> Said(RecordingLog log) => log.Lines.Select(world.Normalize).ToList();

    private string? Said(string? message) => message is null ? null : world.Normalize(message);

    private static string NameAt(DateTimeOffset instant, TimeZoneInfo zone) => SnapshotName.Create(TimeZoneInfo.ConvertTime(instant, zone), null).ToString();

    // Each send of the run's first pair: the snapshot's name and its parent's (null for a full send).
    private static List<(string Snapshot, string? Parent)> Sends(BackupRun run) =>
        run.Pairs[0].Sends.Select(sent => (sent.Send.Snapshot.Name.ToString(), sent.Send.Parent?.Name.ToString())).ToList();

    private List<string> NamesOfSubvolumes(string directory) => world.SubvolumesIn(directory).Select(subvolume => subvolume.Name).ToList();

    // Every subvolume on the target is a complete backup: read-only, received from the snapshot of its name
    // while that is on the source, and holding the same files as it (or as the source held that night).
    private void AssertBackupsMatch(BackupPair pair, Dictionary<string, SortedDictionary<string, string>> sourceOnTheNight)
    {
        foreach (var backup in world.SubvolumesIn(pair.Target!))
        {
            Assert.That(backup.IsReadOnly && backup.ReceivedUuid is not null, $"{backup.Path} is a complete backup");
            var files = world.Digests(backup.Path);
            if (world.Show(Path.Combine(pair.SnapshotDir, backup.Name)) is SubvolumeInfo snapshot)
            {
                Assert.That(backup.ReceivedUuid, Is.EqualTo(snapshot.Uuid), $"{backup.Path} was received from {snapshot.Path}");
                Assert.That(files, Is.EqualTo(world.Digests(snapshot.Path)), $"{backup.Path} holds what {snapshot.Path} holds");
            }

            if (sourceOnTheNight.TryGetValue(backup.Name, out var expected))
            {
                Assert.That(files, Is.EqualTo(expected), $"{backup.Path} holds what the source held that night");
            }
        }
    }
}

/// <summary>The scenarios on the in-memory model: fast, and no root needed.</summary>
[TestFixture]
public sealed class ModelScenarioTests : ScenarioTests
{
    internal override ScenarioWorld MakeWorld() => new ModelWorld();
}

/// <summary>The same scenarios on real btrfs filesystems on loop devices.</summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class RealBtrfsScenarioTests : ScenarioTests
{
    internal override ScenarioWorld MakeWorld() => new RealBtrfsWorld();
}

/// <summary>
/// The same scenarios on real btrfs with every target on the "remote" machine: this one, reached
/// through an sshd the world starts; snapshots are pushed to it over ssh.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("Ssh")]
public sealed class SshBtrfsScenarioTests : ScenarioTests
{
    internal override ScenarioWorld MakeWorld() => new SshBtrfsWorld();
}
