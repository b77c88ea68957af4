using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// A read-only snapshot of another subvolume, under a valid snapshot name in a pair's snapshot_dir,
/// is not the pair's: it is never sent, never counted by retention, never deleted, and `list` says
/// whose it is not.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class ForeignSnapshotTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);

    // Named for noon between the two nights, once with the UTC offset and once in the older form without it.
    [TestCase("2026-11-01T15:00:00+00:00", TestName = "A_snapshot_of_another_subvolume_in_the_snapshot_dir_is_never_taken_for_the_pairs_own")]
    [TestCase("2026-11-01T15:00:00", TestName = "A_snapshot_of_another_subvolume_under_an_old_style_name_is_never_taken_for_the_pairs_own")]
    public void A_snapshot_of_another_subvolume_is_never_taken_for_the_pairs_own(string foreignName)
    {
        var home = TestPair.Create(Sandbox, "home") with { SourceRetention = (0, 2) };
        var root = TestPair.Create(Sandbox, "root");
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home, root);
        var firstRun = Tool.Nightly(Sandbox, FirstNight, config);
        Assert.That(firstRun.ExitCode, Is.Zero, "the first night's exit code");
        var firstHome = Subvolumes.In(home.SnapshotDir).Single();
        var foreign = Subvolumes.SnapshotReadOnly(root.Source, Path.Combine(home.SnapshotDir, foreignName));

        var secondRun = Tool.Nightly(Sandbox, FirstNight.AddDays(1), config, "--pair=home");
        var list = Tool.List(Sandbox, FirstNight.AddDays(1).AddHours(1), config, "--pair=home");

        var backups = Subvolumes.In(home.Target!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(secondRun.ExitCode, Is.Zero, "the second night's exit code");
            Assert.That(backups.Where(backup => backup.ReceivedUuid == foreign.Uuid).Select(backup => backup.Path), Is.Empty,
                $"nothing on home's target was received from {foreign.Path}");
            Assert.That(Subvolumes.TryShow(foreign.Path), Is.EqualTo(foreign), "the foreign snapshot is left where it was");
            Assert.That(Subvolumes.TryShow(firstHome.Path), Is.EqualTo(firstHome),
                "the first night's snapshot is kept: keep_count = 2 counts only the pair's own two");
            var secondHome = Subvolumes.In(home.SnapshotDir).Where(snapshot => snapshot.ParentUuid == Subvolumes.Show(home.Source).Uuid && snapshot.Uuid != firstHome.Uuid).ToList();
            Assert.That(secondHome, Has.Count.EqualTo(1), "the second night took its snapshot");
            Assert.That(backups.Where(backup => secondHome.Any(snapshot => snapshot.Uuid == backup.ReceivedUuid)), Is.Not.Empty,
                "and sent it");
            Assert.That(list.ExitCode, Is.Zero, "list's exit code");
            Assert.That(Tool.Lines(list, foreignName, "snapshot of another subvolume"), Is.Not.Empty,
                $"list shows {foreignName} as a snapshot of another subvolume; its lines naming it: {string.Join(" | ", Tool.Lines(list, foreignName))}");
        }
    }
}
