using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Tasks;

[TestFixture]
[Category("RealBtrfs")]
public sealed class PurgeTaskTests : RealBtrfsFixture
{
    private static readonly DateTime Now = new(2026, 11, 12, 12, 0, 0);
    private BackupPair pair = null!;

    [SetUp]
    public void CreatePair()
    {
        pair = PairLayout.Create(Sandbox) with
        {
            SourceRetention = new RetentionPolicy(KeepDays: 3, KeepCount: 2),
            TargetRetention = new RetentionPolicy(KeepDays: 0, KeepCount: 5),
        };
    }

    [Test]
    public async Task Deletes_exactly_what_retention_lets_go_keeps_the_parent_and_the_next_backup_is_incremental()
    {
        // Nightly snapshots of Nov 1..12, back-dated by their names; only Nov 1..6 reached the target.
        Directory.CreateDirectory(pair.SnapshotDir);
        foreach (var day in Enumerable.Range(1, 12))
        {
            File.WriteAllText(Path.Combine(pair.Source, "day.txt"), $"{day}\n");
            Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, Name(day)));
            if (day == 6)
            {
                var send = new SendTask { Environment = Sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };
                Assert.That(send.Run().FailureCause, Is.Null);
            }
        }

        var log = new RecordingLog();
        var purge = new PurgeTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(Now), Log = log };
        Assert.That(purge.Run().FailureCause, Is.Null);

        var after = await Scans.OfAsync(pair);
        Assert.That(after.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()), Is.EqualTo(new[] { Name(6), Name(7), Name(8), Name(9), Name(10), Name(11), Name(12) }),
            "source keeps the younger than 3 days (10, 11, 12), the newest 2, the parent of the next incremental (6), and what has not been backed up yet (7 to 12)");
        Assert.That(after.Target!.Snapshots.Select(backup => backup.Name.ToString()), Is.EqualTo(new[] { Name(2), Name(3), Name(4), Name(5), Name(6) }),
            "target keeps its newest 5");
        Assert.That(log.Lines, Does.Contain($"run: btrfs subvolume delete {pair.SnapshotDir}/{Name(1)}  # source: older than 3 days and not among the newest 2"));
        Assert.That(log.Lines, Does.Contain($"run: btrfs subvolume delete {pair.Target}/{Name(1)}  # target: not among the newest 5"));
        var deletions = log.Lines.Where(line => line.StartsWith("run: btrfs subvolume delete", StringComparison.Ordinal)).ToList();
        Assert.That(deletions, Has.Count.EqualTo(5 + 1));
        Assert.That(deletions, Is.Ordered.Using<string>((left, right) => Side(left).CompareTo(Side(right)) is var bySide && bySide != 0 ? bySide : string.CompareOrdinal(left, right)),
            "oldest first on each side");

        var next = new SendTask { Environment = Sandbox.Now(), Inventory = after, Log = new RecordingLog() };
        Assert.That(next.Run().FailureCause, Is.Null);
        Assert.That(next.Results[0].Send.Parent?.Name.ToString(), Is.EqualTo(Name(6)), "the next backup is incremental from the protected parent");
    }

    [Test]
    public async Task Dry_run_prints_each_deletion_with_its_reason_and_deletes_nothing()
    {
        pair = pair with { Target = null };
        Directory.CreateDirectory(pair.SnapshotDir);
        foreach (var day in Enumerable.Range(1, 4))
        {
            Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, Name(day)));
        }

        var log = new RecordingLog();
        var purge = new PurgeTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(Now), Log = log, DryRun = true };
        Assert.That(purge.Run().FailureCause, Is.Null);

        Assert.That(log.Lines.Where(line => line.StartsWith("[dry run]", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            $"[dry run] would run: btrfs subvolume delete {pair.SnapshotDir}/{Name(1)}  # source: older than 3 days and not among the newest 2",
            $"[dry run] would run: btrfs subvolume delete {pair.SnapshotDir}/{Name(2)}  # source: older than 3 days and not among the newest 2",
        }));
        Assert.That((await Scans.OfAsync(pair)).SnapshotDir.Snapshots, Has.Count.EqualTo(4));
    }

    [Test]
    public async Task A_snapshot_that_changed_since_the_scan_is_not_deleted()
    {
        pair = pair with { Target = null };
        Directory.CreateDirectory(pair.SnapshotDir);
        foreach (var day in Enumerable.Range(1, 4))
        {
            Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, Name(day)));
        }

        var inventory = await Scans.OfAsync(pair);
        // After the scan, someone replaces the oldest snapshot with a new subvolume of the same name.
        Shell.Run("btrfs", "subvolume", "delete", Path.Combine(pair.SnapshotDir, Name(1)));
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, Name(1)));
        var log = new RecordingLog();

        var purge = new PurgeTask { Inventory = inventory, Environment = Sandbox.At(Now), Log = log };
        Assert.That(purge.Run().FailureCause, Is.Null);

        Assert.That(Directory.Exists(Path.Combine(pair.SnapshotDir, Name(2))), Is.False, "unchanged, so deleted as planned");
        Assert.That(log.Lines, Has.Some.Contain($"not deleting {pair.SnapshotDir}/{Name(1)}"));
        Assert.That(Directory.Exists(Path.Combine(pair.SnapshotDir, Name(1))), Is.True);
    }

    private static string Name(int day) => new DateTime(2026, 11, day, 3, 0, 0).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static int Side(string line) => line.Contains("# source:", StringComparison.Ordinal) ? 0 : 1;
}
