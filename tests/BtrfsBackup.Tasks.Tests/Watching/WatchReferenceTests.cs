using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using BtrfsBackup.Watching;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Watching;

/// <summary>
/// The <c>status</c> text and JSON and the <c>list</c> JSON for fixed pairs at a fixed time, compared
/// exactly with <c>Reference/watch/NAME</c> (UUIDs are derived from names by <see cref="InventoryBuilder"/>,
/// so they are the same on every run). <c>UPDATE_REFERENCE=1</c> rewrites the files on purpose.
/// </summary>
[TestFixture]
public sealed class WatchReferenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 10, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Status_text_matches_its_reference() => Compare("status.txt", StatusReport.Text(Statuses()));

    [Test]
    public void Status_json_matches_its_reference() => Compare("status.json", StatusReport.Json(Statuses()));

    [Test]
    public void List_json_matches_its_reference() => Compare("list.json", ListReport.Json([(Listed(), Now)]));

    [Test]
    public void List_json_shows_the_calendar_rules_that_are_on_and_only_those()
    {
        var policy = new RetentionPolicy(0, 3) { KeepDaily = 14, KeepMonthly = RetentionPolicy.All, WeekStartsOn = DayOfWeek.Sunday, DayStartsAtHour = 4, KeepSuffixedDays = RetentionPolicy.Forever };
        var json = ListReport.Json([(new InventoryBuilder("home").Snapshots("2026-12-10T03:00:00+00:00").SourceRetention(policy).TargetRetention(keepDays: 0, keepCount: 3).Build(), Now)]);

        Assert.That(json, Does.Contain("\"source_retention\": {\n        \"keep_days\": 0,\n        \"keep_count\": 3,\n        \"keep_daily\": 14,\n        \"keep_monthly\": \"all\",\n        \"week_starts_on\": \"sunday\",\n        \"day_starts_at_hour\": 4,\n        \"keep_suffixed\": true\n      }"));
        Assert.That(json, Does.Contain("\"target_retention\": {\n        \"keep_days\": 0,\n        \"keep_count\": 3\n      }"));
    }

    [Test]
    public void A_last_run_is_shown_when_one_is_known()
    {
        var run = new LastRun(Now.AddHours(-9), Now.AddHours(-8.5), "succeeded");
        var status = PairStatus.Of(Fresh(), Now, run);

        Assert.That(StatusReport.Text([status]), Does.Contain("succeeded 2026-12-10T03:30:00+00:00"));
        Assert.That(StatusReport.Json([status]), Does.Contain("\"last_run\": {\n        \"outcome\": \"succeeded\",\n        \"started_at\": \"2026-12-10T03:00:00+00:00\""));
    }

    [TestCase(0, "0s")]
    [TestCase(59, "59s")]
    [TestCase(60 * 12, "12m")]
    [TestCase((5 * 3600) + (3 * 60), "5h 3m")]
    [TestCase((9 * 86400) + (4 * 3600) + 59, "9d 4h")]
    public void Ages_read_at_a_glance(int seconds, string expected) =>
        Assert.That(StatusReport.Age(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    // home: backed up this night; root: its disk away, last sent 8 days ago; scratch: no target;
    // media: its target a directory on the source's own filesystem, never backed up; web: scan failed.
    private static List<PairStatus> Statuses() =>
    [
        PairStatus.Of(Fresh(), Now, null),
        PairStatus.Of(
            new InventoryBuilder("root")
                .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
                .RecordedAsSent("2026-12-01T03:00:00+00:00", "2026-12-02T03:00:00+00:00")
                .TargetStatus(Status.Missing)
                .AlertAfterDays(7)
                .Build(),
            Now,
            null),
        PairStatus.Of(new InventoryBuilder("scratch").Snapshots("2026-12-10T11:50:00+00:00").NoTarget().Build(), Now, null),
        PairStatus.Of(
            new InventoryBuilder("media").Snapshots("2026-11-20T03:00:00+00:00", "2026-12-10T03:00:00+00:00").TargetStatus(Status.OnSourceFilesystem).AlertAfterDays(14).Build(),
            Now,
            null),
        PairStatus.Failed("web", "source /srv/web does not exist or is not a directory", null),
    ];

    private static PairInventory Fresh() =>
        new InventoryBuilder("home")
            .Snapshots("2026-12-08T03:00:00+00:00", "2026-12-09T03:00:00+00:00", "2026-12-10T03:00:00+00:00")
            .BackupOf("2026-12-08T03:00:00+00:00").BackupOf("2026-12-09T03:00:00+00:00").BackupOf("2026-12-10T03:00:00+00:00")
            .AlertAfterDays(7)
            .Build();

    private static PairInventory Listed() =>
        new InventoryBuilder("home")
            .Snapshots("2026-12-01T03:00:00+00:00", "2026-12-08T03:00:00+00:00", "2026-12-09T03:00:00+01:00", "2026-12-10T03:00:00+00:00")
            .BackupOf("2026-11-20T03:00:00+00:00").BackupOf("2026-12-01T03:00:00+00:00").BackupOf("2026-12-08T03:00:00+00:00").BackupOf("2026-12-09T03:00:00+01:00")
            .SentBefore("2026-11-20T03:00:00+00:00")
            .IncompleteReceive("2026-12-10T03:00:00+00:00")
            .WritableOnTarget("2026-11-01T03:00:00+00:00-restored")
            .ForeignInSnapshotDir("manual")
            .SourceRetention(keepDays: 0, keepCount: 3)
            .TargetRetention(keepDays: 0, keepCount: 3)
            .AlertAfterDays(7)
            .Build();

    private static void Compare(string name, string actual)
    {
        actual += "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            var sourceFile = Path.Combine(CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "watch", name);
            Directory.CreateDirectory(Path.GetDirectoryName(sourceFile)!);
            File.WriteAllText(sourceFile, actual);
            Assert.Pass($"UPDATE_REFERENCE=1: wrote {sourceFile}; review it with git diff before committing");
        }

        var expectedFile = Path.Combine(AppContext.BaseDirectory, "Reference", "watch", name);
        Assert.That(File.Exists(expectedFile), Is.True, $"{expectedFile} is missing; run with UPDATE_REFERENCE=1 to write it. The output is:\n{actual}");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedFile)), $"the output differs from Reference/watch/{name} (UPDATE_REFERENCE=1 rewrites it on purpose)");
    }
}
