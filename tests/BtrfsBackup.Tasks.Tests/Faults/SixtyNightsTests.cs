using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Faults;

/// <summary>
/// Sixty simulated nights on real filesystems: back-dated names, random churn, the backup disk
/// unplugged on some nights, one transfer killed. After every night the contract's retention
/// invariants hold on both sides, and the latest backup has the same files as its snapshot.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class SixtyNightsTests : RealBtrfsFixture
{
    protected override int FilesystemCount => 1;
    protected override int FilesystemSizeMiB => 1024;

    private const int Nights = 60;
    private const int InterruptedNight = 31;
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
        var unpluggedNights = 0;

        for (var night = 1; night <= Nights; night++)
        {
            var now = new DateTime(2026, 9, 1, 3, 0, 0).AddDays(night).AddMinutes(random.Next(0, 50));
            Churn(pair.Source, random, night);
            var plugged = night == InterruptedNight || random.NextDouble() > 0.25;
            if (plugged)
            {
                BtrfsSandbox.Mount(disk);
            }
            else
            {
                BtrfsSandbox.Unmount(disk);
                unpluggedNights++;
            }

            var before = await PairScanner.ScanAsync(pair, default);
            var log = new RecordingLog();
            BackupRun run;
            if (night == InterruptedNight)
            {
                Files.WriteRandom(Path.Combine(pair.Source, "large.bin"), 200 << 20, seed: night);
                var running = Task.Run(() => NightlyDriver.Run(now, log, pair));
                var receiver = await Processes.WaitForAsync("btrfs receive", "btrfsbackup-send-", TimeSpan.FromSeconds(20));
                Shell.Run("kill", "-KILL", receiver.ToString(System.Globalization.CultureInfo.InvariantCulture));
                run = await running;
                Assert.That(run.Pairs[0].FailedStep, Is.EqualTo(BackupStep.Send), $"night {night}: the killed transfer fails the pair\n{log}");
                Assert.That(run.Pairs[0].Deleted, Is.Empty, $"night {night}: no purge after a failed send");
            }
            else
            {
                run = NightlyDriver.Run(now, log, pair);
                Assert.That(run.FailedPairs, Is.Empty, $"night {night}\n{log}");
            }

            var after = await BackupAssertions.IntactAsync(pair, incompleteAllowed: !plugged);
            if (plugged && !run.Pairs[0].HasFailed)
            {
                lastBackedUp = after.SnapshotDir.Snapshots[^1];
                Assert.That(after.Target!.Snapshots[^1].ReceivedUuid, Is.EqualTo(lastBackedUp.Uuid), $"night {night}: the newest snapshot is backed up");
                Assert.That(Files.Digests(after.Target.Snapshots[^1].Path), Is.EqualTo(Files.Digests(lastBackedUp.Path)), $"night {night}: latest backup equals its snapshot");
            }

            AssertRetention(night, now, before, after, run.Pairs[0], plugged, lastBackedUp);
        }

        Assert.That(unpluggedNights, Is.InRange(5, 30), "the seed gives a fair share of unplugged nights");
    }

    private static void AssertRetention(int night, DateTime now, PairInventory before, PairInventory after, PairRun run, bool plugged, Snapshot? lastBackedUp)
    {
        var deleted = run.Deleted.Select(step => step.Path).ToHashSet();

        // Source: what existed at purge time is what was there plus tonight's snapshot.
        var created = after.SnapshotDir.Snapshots.Where(snapshot => before.SnapshotDir.Snapshots.All(old => old.Uuid != snapshot.Uuid)).ToList();
        Assert.That(created, Has.Count.EqualTo(1), $"night {night}: one new snapshot");
        var atPurge = before.SnapshotDir.Snapshots.Concat(created).OrderBy(snapshot => snapshot.Name).ToList();
        AssertLocation($"night {night} source", now, atPurge, after.SnapshotDir.Snapshots, deleted, SourcePolicy, snapshot =>
            snapshot.Uuid == lastBackedUp?.Uuid || (!plugged && (lastBackedUp is null || snapshot.Name > lastBackedUp.Name)));

        if (plugged && after.Target is { } target && !run.HasFailed)
        {
            var targetAtPurge = (before.Target?.Snapshots ?? []).Concat(target.Snapshots).DistinctBy(backup => backup.Uuid).OrderBy(backup => backup.Name).ToList();
            AssertLocation($"night {night} target", now, targetAtPurge, target.Snapshots, deleted, TargetPolicy, backup => backup.ReceivedUuid == lastBackedUp?.Uuid);
        }
    }

    private static void AssertLocation(
        string where,
        DateTime now,
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
            var mustStay = rankFromNewest == 1 || rankFromNewest <= policy.KeepCount || (now - snapshot.Name.Time).TotalDays < policy.KeepDays || isProtected(snapshot);
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
