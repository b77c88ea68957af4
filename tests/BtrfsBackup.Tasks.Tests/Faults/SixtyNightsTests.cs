using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Faults;

/// <summary>
/// Sixty simulated nights on real filesystems, in Europe/Berlin across the end of summer time (two
/// runs that night, the second earlier on the wall clock): random churn, the backup disk unplugged on
/// some nights, one transfer killed. After every run the contract's retention invariants hold on both
/// sides, nothing is left unsent once the disk is back, and the latest backup has the same files as its snapshot.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class SixtyNightsTests : RealBtrfsFixture
{
    protected override int FilesystemCount => 1;
    protected override int FilesystemSizeMiB => 1024;

    private const int Nights = 60;
    private const int InterruptedNight = 31;
    private const int FallBackNight = 54;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly RetentionPolicy SourcePolicy = new(KeepDays: 5, KeepCount: 3);
    private static readonly RetentionPolicy TargetPolicy = new(KeepDays: 20, KeepCount: 10);

    [Test]
    public async Task Sixty_nights_never_delete_what_must_be_kept()
    {
        var random = new Random(60);
        var system = Sandbox.Filesystems[0].MountPoint;
        // The backup disk is mounted inside the system disk; unplugged, its mount point is a plain directory there.
        var mountPoint = Directory.CreateDirectory(Path.Combine(system, "mnt", "usb")).FullName;
        Directory.CreateDirectory(Path.Combine(mountPoint, "home"));
        var disk = Sandbox.AddFilesystem("usb", 1024, mountPoint);
        var pair = PairLayout.Create(Sandbox) with
        {
            Target = Directory.CreateDirectory(Path.Combine(mountPoint, "home")).FullName,
            SourceRetention = SourcePolicy,
            TargetRetention = TargetPolicy,
        };
        Snapshot? lastBackedUp = null;
        var sent = new HashSet<Guid>();
        var unpluggedNights = 0;

        foreach (var (night, now) in Schedule(random))
        {
            Churn(pair.Source, random, night);
            var plugged = night == InterruptedNight || night == FallBackNight || random.NextDouble() > 0.25;
            if (plugged)
            {
                BtrfsSandbox.Mount(disk);
            }
            else
            {
                BtrfsSandbox.Unmount(disk);
                unpluggedNights++;
            }

            var before = await Scans.OfAsync(pair);
            var log = new RecordingLog();
            BackupRun run;
            if (night == InterruptedNight)
            {
                Files.WriteRandom(Path.Combine(pair.Source, "large.bin"), 200 << 20, seed: night);
                // The receive is stopped the moment it starts and killed: a transfer cut short, whatever the machine's speed.
                run = NightlyDriver.Run(Sandbox.At(now, Berlin, (_, receive) => ChildProcess.Kill(ChildProcess.Stop(receive))), log, pair);
                Assert.That(run.Pairs[0].FailedStep, Is.EqualTo(BackupStep.Send), $"night {night}: the killed transfer fails the pair\n{log}");
                Assert.That(run.Pairs[0].Deleted.Select(deletion => deletion.Reason), Has.All.StartWith("partial receive of"), $"night {night}: no purge after a failed send\n{log}");
            }
            else
            {
                run = NightlyDriver.Run(Sandbox.At(now, Berlin), log, pair);
                Assert.That(run.FailedPairs, Is.Empty, $"night {night}\n{log}");
                Assert.That(log.Lines, Has.None.Contains("clock set back"), $"night {night}\n{log}");
            }

            var after = await BackupAssertions.IntactAsync(pair, incompleteAllowed: !plugged);
            var backups = new BtrfsBackup.Planning.BackupIndex(after.Target);
            if (plugged && !run.Pairs[0].HasFailed)
            {
                lastBackedUp = backups.NewestBackedUp(after.SnapshotDir.Snapshots);
                Assert.That(after.SnapshotDir.Snapshots.Where(snapshot => !backups.IsBackedUp(snapshot) && !sent.Contains(snapshot.Uuid)), Is.Empty, $"night {night}: every snapshot has reached the target");
                Assert.That(lastBackedUp, Is.EqualTo(after.SnapshotDir.Snapshots.Single(snapshot => snapshot.Name.Instant == now)), $"night {night}: tonight's snapshot is backed up");
                Assert.That(Files.Digests(backups.BackupOf(lastBackedUp!)!.Path), Is.EqualTo(Files.Digests(lastBackedUp!.Path)), $"night {night}: latest backup equals its snapshot");
            }

            AssertRetention(night, now, before, after, run.Pairs[0], sent, lastBackedUp);
            sent.UnionWith(after.SnapshotDir.Snapshots.Where(backups.IsBackedUp).Select(snapshot => snapshot.Uuid));
        }

        Assert.That(unpluggedNights, Is.InRange(5, 30), "the seed gives a fair share of unplugged nights");
    }

    // A run each night at 03:xx Berlin time; on the night summer time ends, at 02:50 CEST and again twenty
    // minutes later, at 02:10 CET: the second snapshot's name is earlier on the wall clock, later in time.
    private static IEnumerable<(int Night, DateTimeOffset Instant)> Schedule(Random random)
    {
        for (var night = 1; night <= Nights; night++)
        {
            var day = new DateTime(2026, 9, 1).AddDays(night);
            if (night == FallBackNight)
            {
                Assert.That(day, Is.EqualTo(new DateTime(2026, 10, 25)), "the night summer time ends");
                yield return (night, new DateTimeOffset(2026, 10, 25, 0, 50, 0, TimeSpan.Zero));
                yield return (night, new DateTimeOffset(2026, 10, 25, 1, 10, 0, TimeSpan.Zero));
                continue;
            }

            var local = day.AddHours(3).AddMinutes(random.Next(0, 50));
            yield return (night, new DateTimeOffset(local, Berlin.GetUtcOffset(local)));
        }
    }

    private static void AssertRetention(int night, DateTimeOffset now, PairInventory before, PairInventory after, PairRun run, HashSet<Guid> sentBefore, Snapshot? lastBackedUp)
    {
        var deleted = run.Deleted.Select(step => step.Path).ToHashSet();
        var backups = new BtrfsBackup.Planning.BackupIndex(after.Target);

        // Source: what existed at purge time is what was there plus tonight's snapshot; a snapshot not yet
        // on the target (now or ever before) is kept, and so is the next incremental's parent.
        var created = after.SnapshotDir.Snapshots.Where(snapshot => before.SnapshotDir.Snapshots.All(old => old.Uuid != snapshot.Uuid)).ToList();
        Assert.That(created, Has.Count.EqualTo(1), $"night {night}: one new snapshot");
        var atPurge = before.SnapshotDir.Snapshots.Concat(created).Order(Snapshot.Chronological).ToList();
        AssertLocation($"night {night} source", now, atPurge, after.SnapshotDir.Snapshots, deleted, SourcePolicy, snapshot =>
            snapshot.Uuid == lastBackedUp?.Uuid || (!sentBefore.Contains(snapshot.Uuid) && !backups.IsBackedUp(snapshot)));

        if (after.Target is { } target && !run.HasFailed)
        {
            var targetAtPurge = (before.Target?.Snapshots ?? []).Concat(target.Snapshots).DistinctBy(backup => backup.Uuid).Order(Snapshot.Chronological).ToList();
            AssertLocation($"night {night} target", now, targetAtPurge, target.Snapshots, deleted, TargetPolicy, backup => backup.ReceivedUuid == lastBackedUp?.Uuid);
        }
    }

    private static void AssertLocation(
        string where,
        DateTimeOffset now,
        List<Snapshot> atPurge,
        IReadOnlyList<Snapshot> after,
        HashSet<string> deleted,
        RetentionPolicy policy,
        Func<Snapshot, bool> isProtected)
    {
        var remaining = after.Select(snapshot => snapshot.Uuid).ToHashSet();
        for (var index = 0; index < atPurge.Count; index++)
        {
            var snapshot = atPurge[index];
            var rankFromNewest = atPurge.Count - index;
            var mustStay = rankFromNewest == 1 || rankFromNewest <= policy.KeepCount || (now - snapshot.Name.Instant).TotalDays < policy.KeepDays || isProtected(snapshot);
            if (mustStay)
            {
                Assert.That(remaining, Does.Contain(snapshot.Uuid), $"{where}: {snapshot.Name} had to be kept");
            }

            if (!remaining.Contains(snapshot.Uuid))
            {
                Assert.That(deleted, Does.Contain(snapshot.Path), $"{where}: {snapshot.Name} vanished without the purge deleting it");
            }
        }
    }

    private static void Churn(string source, Random random, int night)
    {
        var files = Directory.GetFiles(source);
        if (files.Length > 3 && random.NextDouble() < 0.3)
        {
            File.Delete(files[random.Next(files.Length)]);
        }

        Files.WriteRandom(Path.Combine(source, $"file-{random.Next(8)}.bin"), random.Next(1, 256) << 10, seed: night);
        File.AppendAllText(Path.Combine(source, "journal.txt"), $"night {night}\n");
        var large = Path.Combine(source, "large.bin");
        if (File.Exists(large) && random.NextDouble() < 0.5)
        {
            File.Delete(large);
        }
    }
}
