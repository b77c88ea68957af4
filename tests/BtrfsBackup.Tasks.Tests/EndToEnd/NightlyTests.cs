using System.Globalization;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>`dotnet cake --target=nightly` with two pairs on real filesystems.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class NightlyTests : RealBtrfsFixture
{
    private static readonly RetentionPolicy KeepTwoDaysOrTwo = new(KeepDays: 2, KeepCount: 2);
    private static readonly DateTimeOffset Tonight = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private BackupPair home = null!;
    private BackupPair root = null!;
    private MountedImage rootBackupDisk = null!;

    [SetUp]
    public async Task CreateTwoPairsWithTenNightsOfHistory()
    {
        var system = Sandbox.Filesystems[0].MountPoint;
        rootBackupDisk = Sandbox.AddFilesystem("usb", 256, Directory.CreateDirectory(Path.Combine(system, "mnt", "usb")).FullName);
        home = PairLayout.Create(Sandbox, "home") with { SourceRetention = KeepTwoDaysOrTwo, TargetRetention = new RetentionPolicy(0, 3) };
        root = PairLayout.Create(Sandbox, "root") with
        {
            Target = Directory.CreateDirectory(Path.Combine(rootBackupDisk.MountPoint, "root")).FullName,
            SourceRetention = KeepTwoDaysOrTwo,
            TargetRetention = new RetentionPolicy(0, 3),
        };

        // Ten past nights, back-dated by name; home's are all backed up, root's only up to six nights ago.
        foreach (var pair in new[] { home, root })
        {
            Directory.CreateDirectory(pair.SnapshotDir);
            for (var night = 10; night >= 1; night--)
            {
                Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, NightsAgo(night)));
                if (pair == home || night == 6)
                {
                    var send = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };
                    Assert.That(send.Run().FailureCause, Is.Null);
                }
            }
        }
    }

    [Test]
    public async Task Snapshots_both_sends_one_skips_the_unplugged_target_and_purges_both_sources_within_their_protection()
    {
        BtrfsSandbox.Unmount(rootBackupDisk);
        Directory.CreateDirectory(root.Target!);
        var config = ConfigFile.Write(Sandbox.Root, home, root);

        var result = CakeAt(Tonight, "--target=nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var homeAfter = await Scans.OfAsync(home);
        var rootAfter = await Scans.OfAsync(root);
        var homeNew = homeAfter.SnapshotDir.Snapshots[^1];
        var rootNew = rootAfter.SnapshotDir.Snapshots[^1];
        Assert.That(homeNew.Name.ToString(), Is.EqualTo("2026-11-30T03:00:00+00:00"));
        Assert.That(rootNew.Name.ToString(), Is.EqualTo("2026-11-30T03:00:00+00:00"));

        // home: the new snapshot is sent incrementally; its source keeps the 2 newest / younger than 2 days.
        Assert.That(Names(homeAfter.SnapshotDir), Is.EqualTo(new[] { NightsAgo(1), homeNew.Name.ToString() }));
        Assert.That(Names(homeAfter.Target!), Is.EqualTo(new[] { NightsAgo(2), NightsAgo(1), homeNew.Name.ToString() }));
        Assert.That(homeAfter.Target!.Snapshots[^1].ReceivedUuid, Is.EqualTo(homeNew.Uuid));

        // root: not sent; six nights ago (last backed up) and newer are protected, older ones go.
        Assert.That(Names(rootAfter.SnapshotDir), Is.EqualTo(new[] { NightsAgo(6), NightsAgo(5), NightsAgo(4), NightsAgo(3), NightsAgo(2), NightsAgo(1), rootNew.Name.ToString() }));
        Assert.That(Directory.GetFileSystemEntries(root.Target!), Is.Empty, "nothing is written under the unplugged disk's mount point");

        Assert.That(result.Output, Does.Match(@"Send:root\s+-\s+Skipped\s+target not mounted"));
        Assert.That(result.Output, Does.Contain($"  home: succeeded"));
        Assert.That(result.Output, Does.Contain($"  root: succeeded"));
        Assert.That(result.Output, Does.Contain($"    sent      {homeNew.Name} (incremental from {NightsAgo(1)}): "));
        Assert.That(result.Output, Does.Contain($"    skipped   Send: target {root.Target} is on the source's own filesystem"));
        Assert.That(result.Output, Does.Contain($"{root.SnapshotDir}/{NightsAgo(7)} (source: older than 2 days and not among the newest 2)"));
    }

    [Test]
    public async Task A_failing_pair_stops_at_its_failing_step_the_other_completes_and_the_exit_code_is_non_zero()
    {
        // root's snapshot_dir on another filesystem: btrfs cannot snapshot there.
        var broken = root with { SnapshotDir = Path.Combine(Sandbox.Filesystems[1].MountPoint, "snapshots-elsewhere") };
        var config = ConfigFile.Write(Sandbox.Root, home, broken);

        var result = CakeAt(Tonight, "--target=nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.All, Does.Contain($"1 of 2 pair(s) failed:{Environment.NewLine}  root at Scan: snapshot_dir {broken.SnapshotDir} is not on the same btrfs filesystem as source {root.Source}"));
        Assert.That(result.Output, Does.Match(@"Purge:root\s+-\s+Skipped\s+pair failed earlier"));
        Assert.That(result.Output, Does.Contain("  home: succeeded"));
        Assert.That(Names((await Scans.OfAsync(home)).SnapshotDir), Has.Length.EqualTo(2), "home was snapshotted, sent and purged");
        Assert.That(Names((await Scans.OfAsync(root)).SnapshotDir), Has.Length.EqualTo(10), "nothing of root was touched");
    }

    [Test]
    public async Task Dry_run_prints_the_whole_plan_and_a_real_run_then_executes_exactly_that_plan()
    {
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        var before = await Scans.OfAsync(home);

        var dry = CakeAt(Tonight, "--target=nightly", "--dryrun", $"--config={config}");
        Assert.That(dry.ExitCode, Is.Zero, dry.ToString());
        Assert.That(Names((await Scans.OfAsync(home)).SnapshotDir), Is.EqualTo(Names(before.SnapshotDir)), "a dry run changes nothing");
        var real = CakeAt(Tonight, "--target=nightly", $"--config={config}");
        Assert.That(real.ExitCode, Is.Zero, real.ToString());

        // At the same instant, the same commands in the same order.
        var planned = Commands(dry.Output, "[dry run] would run: ");
        var executed = Commands(real.Output, "run: ");
        Assert.That(planned, Is.Not.Empty);
        Assert.That(executed, Is.EqualTo(planned));
    }

    private static List<string> Commands(string output, string prefix) =>
        output.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..]).ToList();

    private static string[] Names(SnapshotLocation location) => location.Snapshots.Select(snapshot => snapshot.Name.ToString()).ToArray();

    private static string NightsAgo(int nights) => SnapshotNames.WithoutOffset(Tonight.UtcDateTime.Date.AddDays(-nights).AddHours(3));
}
