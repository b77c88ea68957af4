using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// Two nightly runs 20 minutes (or an hour) apart in real time, across a daylight-saving change or a
/// change of time zone, so that the second is earlier on the local clock (or jumps ahead). Snapshot
/// names carry their UTC offset and are ordered by instant: the second night is a night like any
/// other, snapshotted, sent and kept, never taken for an old one.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class ClockChangeTests : RealBtrfsFixture
{
    private const string ChangedFile = "written-between-the-runs.txt";

    public static IEnumerable<TestCaseData> ClockChanges()
    {
        yield return Case("Berlin_fall_back", "2026-10-25T00:50:00Z", "Europe/Berlin", "2026-10-25T01:10:00Z", "Europe/Berlin");
        yield return Case("Berlin_spring_forward", "2026-03-29T00:50:00Z", "Europe/Berlin", "2026-03-29T01:10:00Z", "Europe/Berlin");
        yield return Case("New_York_fall_back", "2026-11-01T05:50:00Z", "America/New_York", "2026-11-01T06:10:00Z", "America/New_York");
        yield return Case("New_York_spring_forward", "2026-03-08T06:50:00Z", "America/New_York", "2026-03-08T07:10:00Z", "America/New_York");
        yield return Case("Time_zone_changed_from_Tokyo_to_Los_Angeles", "2026-11-20T00:00:00Z", "Asia/Tokyo", "2026-11-20T01:00:00Z", "America/Los_Angeles");
    }

    [TestCaseSource(nameof(ClockChanges))]
    public void A_clock_change_between_two_nightly_runs_loses_no_night(DateTimeOffset first, string firstZone, DateTimeOffset second, string secondZone)
    {
        var home = TestPair.Create(Sandbox, "home") with { SourceRetention = (0, 1) };
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);

        var firstRun = Tool.Run(Sandbox, first, firstZone, config, "--target=nightly");
        var firstSnapshots = Subvolumes.In(home.SnapshotDir).Select(snapshot => snapshot.Uuid).ToHashSet();
        File.WriteAllText(Path.Combine(home.Source, ChangedFile), "after the first run\n");
        var secondRun = Tool.Run(Sandbox, second, secondZone, config, "--target=nightly");

        var snapshots = Subvolumes.In(home.SnapshotDir);
        var secondSnapshot = snapshots.SingleOrDefault(snapshot => !firstSnapshots.Contains(snapshot.Uuid));
        var backups = Subvolumes.In(home.Target!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstRun.ExitCode, Is.Zero, "the first run's exit code");
            Assert.That(secondRun.ExitCode, Is.Zero, "the second run's exit code");
            Assert.That(secondSnapshot, Is.Not.Null, "the second run's snapshot is on the source");
            Assert.That(secondSnapshot?.Name, Is.EqualTo(FakeClock.SnapshotName(second, secondZone)),
                $"the second run's snapshot is named by its local time and UTC offset ({FakeClock.Offset(second, secondZone)})");
            Assert.That(snapshots.Select(snapshot => snapshot.Name), Is.EqualTo(new[] { secondSnapshot?.Name }),
                "keep_count = 1 keeps the newest by instant, the second run's: the first run's is the one purged");
            Assert.That(backups.Where(backup => secondSnapshot is not null && backup.ReceivedUuid == secondSnapshot.Uuid && File.Exists(Path.Combine(backup.Path, ChangedFile))), Is.Not.Empty,
                "the target holds the second run's snapshot (its Received UUID), with the file written between the runs; on the target: " +
                string.Join(", ", backups.Select(backup => $"{backup.Name} (Received UUID {backup.ReceivedUuid})")));
            Assert.That(Tool.Lines(firstRun, "clock set back").Concat(Tool.Lines(secondRun, "clock set back")), Is.Empty, "no line says the clock was set back");
        }
    }

    private static TestCaseData Case(string name, string first, string firstZone, string second, string secondZone) =>
        new TestCaseData(DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), firstZone,
                DateTimeOffset.Parse(second, System.Globalization.CultureInfo.InvariantCulture), secondZone)
            .SetName($"A_clock_change_between_two_nightly_runs_loses_no_night_{name}");
}
