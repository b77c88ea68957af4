using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Tasks;

[TestFixture]
[Category("RealBtrfs")]
public sealed class SnapshotTaskTests : RealBtrfsFixture
{
    private static readonly DateTime Now = new(2026, 11, 26, 9, 12, 44, 500);
    private static readonly string Name = SnapshotNames.At(Now);

    [Test]
    public async Task Creates_a_read_only_snapshot_of_the_source_named_by_time_and_suffix_making_the_directory()
    {
        var pair = PairLayout.Create(Sandbox);
        var task = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Suffix = "pre-upgrade", Environment = Sandbox.At(Now), Log = new RecordingLog() };

        Assert.That(task.Run().FailureCause, Is.Null);

        var expectedPath = Path.Combine(pair.SnapshotDir, SnapshotNames.At(Now, "pre-upgrade"));
        var rescanned = await Scans.OfAsync(pair);
        var snapshot = rescanned.SnapshotDir.Snapshots.Single();
        Assert.That(snapshot.Path, Is.EqualTo(expectedPath));
        Assert.That(snapshot.Subvolume.IsReadOnly, Is.True);
        Assert.That(snapshot.Subvolume.ParentUuid, Is.EqualTo(rescanned.Source.Uuid));
        Assert.That(File.ReadAllText(Path.Combine(expectedPath, "hello.txt")), Is.EqualTo("hello from home\n"));
        Assert.That(task.UpdatedInventory!.SnapshotDir.Snapshots.Single().Uuid, Is.EqualTo(snapshot.Uuid));
    }

    [Test]
    public async Task Refuses_a_name_that_exists_and_changes_nothing()
    {
        var pair = PairLayout.Create(Sandbox);
        var first = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(Now), Log = new RecordingLog() };
        Assert.That(first.Run().FailureCause, Is.Null);

        var second = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(Now), Log = new RecordingLog() };

        var secondOutcome = second.Run();
        Assert.That(secondOutcome.Succeeded, Is.False);
        Assert.That(secondOutcome.FailureCause, Does.Contain($"{Name} already exists"));
        Assert.That((await Scans.OfAsync(pair)).SnapshotDir.Snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Refuses_a_name_taken_by_a_plain_directory_that_appeared_after_the_scan()
    {
        var pair = PairLayout.Create(Sandbox);
        var inventory = await Scans.OfAsync(pair);
        Directory.CreateDirectory(Path.Combine(pair.SnapshotDir, Name));
        var task = new SnapshotTask { Inventory = inventory, Environment = Sandbox.At(Now), Log = new RecordingLog() };

        var taskOutcome = task.Run();
        Assert.That(taskOutcome.Succeeded, Is.False);
        Assert.That(taskOutcome.FailureCause, Does.Contain("appeared since the scan"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(pair.SnapshotDir, Name)), Is.Empty);
    }

    [Test]
    public async Task Dry_run_prints_the_command_and_changes_nothing()
    {
        var pair = PairLayout.Create(Sandbox);
        var log = new RecordingLog();
        var task = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Environment = Sandbox.At(Now), Log = log, DryRun = true };

        Assert.That(task.Run().FailureCause, Is.Null);

        Assert.That(log.Lines, Does.Contain($"[dry run] would run: btrfs subvolume snapshot -r {pair.Source} {pair.SnapshotDir}/{Name}  # read-only snapshot of {pair.Source}"));
        Assert.That(Directory.Exists(pair.SnapshotDir), Is.False);
        Assert.That(task.UpdatedInventory!.SnapshotDir.Snapshots.Single().Name.ToString(), Is.EqualTo(Name));
    }

    [Test]
    public async Task An_invalid_suffix_is_refused_before_anything_is_made()
    {
        var pair = PairLayout.Create(Sandbox);
        var task = new SnapshotTask { Inventory = await Scans.OfAsync(pair), Suffix = "../escape", Environment = Sandbox.At(Now), Log = new RecordingLog() };

        var taskOutcome = task.Run();
        Assert.That(taskOutcome.Succeeded, Is.False);
        Assert.That(taskOutcome.FailureCause, Does.StartWith("Invalid snapshot suffix '../escape'"));
        Assert.That(Directory.Exists(pair.SnapshotDir), Is.False);
    }
}
