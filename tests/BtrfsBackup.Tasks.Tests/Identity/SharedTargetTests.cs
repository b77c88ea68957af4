using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// A target belongs to one source. A second configuration pointing another source at it is refused
/// before anything is sent or purged there, so the two never purge each other's backups; a target
/// filled by hand with `btrfs send | btrfs receive` of the pair's own snapshot is taken over.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class SharedTargetTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private TestPair home = null!;
    private TestPair work = null!;
    private string configA = null!;
    private string configB = null!;

    [SetUp]
    public void CreateTwoConfigurationsOnOneTarget()
    {
        home = TestPair.Create(Sandbox, "home", targetFolder: "shared") with { TargetRetention = (0, 1) };
        work = TestPair.Create(Sandbox, "work", targetFolder: "shared") with { TargetRetention = (0, 1) };
        configA = TestPair.WriteConfig(Sandbox.Root, "a.toml", home);
        configB = TestPair.WriteConfig(Sandbox.Root, "b.toml", work);
    }

    [Test]
    public void A_second_configuration_sending_another_source_to_the_same_target_is_refused_and_purges_nothing()
    {
        var (homeBackup, b) = NightOfAThenRunOfB();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(b.ExitCode, Is.Not.Zero, "B's exit code");
            Assert.That(Tool.Lines(b, home.Target!, home.Source, "belongs to another source"), Is.Not.Empty,
                $"a line names the target {home.Target}, the source {home.Source} it belongs to, and says it belongs to another source");
            Assert.That(Subvolumes.TryShow(homeBackup.Path), Is.EqualTo(homeBackup), "A's backup is untouched");
            var workSnapshots = Subvolumes.In(work.SnapshotDir).Select(snapshot => snapshot.Uuid).ToHashSet();
            Assert.That(Subvolumes.In(home.Target!).Where(backup => backup.ReceivedUuid is { } uuid && workSnapshots.Contains(uuid)).Select(backup => backup.Path),
                Is.Empty, "no backup of work's snapshots is on the target");
        }
    }

    [Test]
    public void After_the_refused_configuration_the_owner_goes_on_sending_incrementally()
    {
        NightOfAThenRunOfB();
        var first = Subvolumes.In(home.SnapshotDir).Single();

        var next = Tool.Nightly(Sandbox, FirstNight.AddDays(1), configA);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(next.ExitCode, Is.Zero, "A's exit code");
            var newest = Subvolumes.In(home.SnapshotDir).Single(snapshot => snapshot.Uuid != first.Uuid);
            Assert.That(Tool.Lines(next, $"{newest.Name} (incremental from {first.Name})"), Is.Not.Empty, $"{newest.Name} is sent incrementally from {first.Name}");
            Assert.That(Tool.Lines(next, $"{first.Name} (full"), Is.Empty, "the first night's backup was still there: it is not sent again");
            Assert.That(Subvolumes.In(home.Target!).Where(backup => backup.ReceivedUuid == newest.Uuid), Is.Not.Empty, "the new night has its backup");
        }
    }

    [Test]
    public void A_target_filled_by_hand_with_send_and_receive_of_the_pairs_snapshot_is_adopted_and_sent_to_incrementally()
    {
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);
        var byHand = Subvolumes.SnapshotReadOnly(home.Source, Path.Combine(home.SnapshotDir, "2026-10-31T03:00:00"));
        Shell.Run("sh", "-c", "btrfs send \"$1\" | btrfs receive \"$2\"", "sh", byHand.Path, home.Target!);
        File.WriteAllText(Path.Combine(home.Source, "new.txt"), "after the hand-made backup\n");

        var result = Tool.Nightly(Sandbox, FirstNight, config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code");
            Assert.That(Tool.Lines(result, $"(incremental from {byHand.Name})"), Is.Not.Empty, $"sent incrementally from {byHand.Name}");
            var newest = Subvolumes.In(home.SnapshotDir).Single(snapshot => snapshot.Uuid != byHand.Uuid);
            var backup = Subvolumes.In(home.Target!).SingleOrDefault(backup => backup.ReceivedUuid == newest.Uuid);
            Assert.That(backup is not null && File.Exists(Path.Combine(backup.Path, "new.txt")), Is.True, "the new night's backup, with the new file");
        }
    }

    // Night 1 of configuration A (home), then an hour later a run of configuration B (work) on the same target.
    private (Subvolume HomeBackup, CakeResult B) NightOfAThenRunOfB()
    {
        var a = Tool.Nightly(Sandbox, FirstNight, configA);
        Assert.That(a.ExitCode, Is.Zero, "A's first night");
        var homeBackup = Subvolumes.In(home.Target!).Single();
        var b = Tool.Nightly(Sandbox, FirstNight.AddHours(1), configB);
        return (homeBackup, b);
    }
}
