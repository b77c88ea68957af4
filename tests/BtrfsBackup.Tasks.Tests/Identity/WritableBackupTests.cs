using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// A writable subvolume on the target is not a backup and not a receive that broke off: the user made
/// it (a backup flipped to writable to restore from, or a subvolume of their own). It is never
/// deleted, never used as a parent, and never received over.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class WritableBackupTests : RealBtrfsFixture
{
    private const string WritableNote = "writable: not a backup, left alone";
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_backup_the_user_made_writable_is_left_alone_and_the_next_night_is_sent_from_the_last_read_only_backup()
    {
        // The target keeps its newest two backups: the writable one is not counted among them, nor purged.
        var home = TestPair.Create(Sandbox, "home") with { TargetRetention = (0, 2) };
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);
        Assert.That(Tool.Nightly(Sandbox, FirstNight, config).ExitCode, Is.Zero);
        var first = Subvolumes.In(home.SnapshotDir).Single();
        Assert.That(Tool.Nightly(Sandbox, FirstNight.AddDays(1), config).ExitCode, Is.Zero);
        var second = Subvolumes.In(home.SnapshotDir).Single(snapshot => snapshot.Uuid != first.Uuid);
        var edited = Subvolumes.In(home.Target!).Single(backup => backup.ReceivedUuid == second.Uuid);
        Shell.Run("btrfs", "property", "set", "-f", "-ts", edited.Path, "ro", "false");
        File.WriteAllText(Path.Combine(edited.Path, "user-edit.txt"), "restored by hand\n");

        var third = Tool.Nightly(Sandbox, FirstNight.AddDays(2), config);
        var list = Tool.List(Sandbox, FirstNight.AddDays(2).AddHours(1), config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(third.ExitCode, Is.Zero, "the third night's exit code");
            var after = Subvolumes.TryShow(edited.Path);
            Assert.That(after?.Uuid, Is.EqualTo(edited.Uuid), $"the writable backup {edited.Path} is still there");
            Assert.That(File.Exists(Path.Combine(edited.Path, "user-edit.txt")), Is.True, "with the user's file in it");
            Assert.That(Tool.Lines(third, WritableNote), Is.Not.Empty, $"the run says \"{WritableNote}\"");
            var newest = Subvolumes.In(home.SnapshotDir).SingleOrDefault(snapshot => snapshot.Uuid != first.Uuid && snapshot.Uuid != second.Uuid);
            Assert.That(newest, Is.Not.Null, "the third night took a snapshot");
            Assert.That(Tool.Lines(third, $"{newest?.Name} (incremental from {first.Name})"), Is.Not.Empty,
                $"{newest?.Name} is sent incrementally from the newest read-only backup's snapshot, {first.Name}");
            var backup = Subvolumes.In(home.Target!).SingleOrDefault(backup => newest is not null && backup.ReceivedUuid == newest.Uuid);
            Assert.That(backup, Is.Not.Null, "the third night's snapshot has its backup");
            Assert.That(backup?.IsReadOnly, Is.True, "its backup is read-only");
            Assert.That(list.ExitCode, Is.Zero, "list's exit code");
            Assert.That(Tool.Lines(list, edited.Name, WritableNote), Is.Not.Empty,
                $"list shows {edited.Name} as \"{WritableNote}\"; its lines naming it: {string.Join(" | ", Tool.Lines(list, edited.Name))}");
        }
    }

    [Test]
    public void A_writable_subvolume_under_the_name_the_next_backup_needs_stops_the_pair_and_is_untouched()
    {
        var home = TestPair.Create(Sandbox, "home") with { TargetRetention = (0, 1) };
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);
        Assert.That(Tool.Nightly(Sandbox, FirstNight, config).ExitCode, Is.Zero);
        var night = FirstNight.AddDays(1);
        var squatter = BtrfsSandbox.CreateSubvolume(Path.Combine(home.Target!, FakeClock.SnapshotName(night, Tool.Utc)));
        File.WriteAllText(Path.Combine(squatter, "mine.txt"), "the user's own\n");
        var before = Subvolumes.Show(squatter);

        var result = Tool.Nightly(Sandbox, night, config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero, "exit code");
            Assert.That(Tool.Lines(result, squatter, "writable subvolume", "not a backup"), Is.Not.Empty,
                $"a line names {squatter} as a writable subvolume, not a backup");
            Assert.That(Subvolumes.TryShow(squatter), Is.EqualTo(before), "the same subvolume, still writable");
            Assert.That(File.Exists(Path.Combine(squatter, "mine.txt")), Is.True, "with the user's file in it");
        }
    }
}
