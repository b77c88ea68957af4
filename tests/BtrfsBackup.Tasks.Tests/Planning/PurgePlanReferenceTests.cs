using System.Globalization;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Planning;

/// <summary>
/// Realistic histories whose <see cref="PurgePlan.Format"/> (what a dry run shows) must equal
/// <c>Reference/purge-plans/NAME.txt</c> exactly. With <c>UPDATE_REFERENCE=1</c> the test writes the
/// actual plan to the source tree's file instead and passes; review the git diff before committing.
/// </summary>
[TestFixture]
public sealed class PurgePlanReferenceTests
{
    /// <summary>When the purge runs in every reference history.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Suffixed =
    [
        "2026-11-05T14:22:10-pre-upgrade",
        "2026-11-21T09:12:44-pre-upgrade",
        "2026-11-24T21:40:03-before-kernel-6.18",
    ];

    private static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Reference", "purge-plans");

    public static IEnumerable<TestCaseData> Histories()
    {
        yield return Case("month-up-to-date", "A month of nightlies and a few suffixed snapshots, every one backed up", () =>
            AMonthOnTheSource()
                .BackupsOf(Nightlies(new DateTime(2026, 9, 15), new DateTime(2026, 11, 26)).Concat(Suffixed))
                .SourceRetention(keepDays: 7, keepCount: 10)
                .TargetRetention(keepDays: 60, keepCount: 30));

        yield return Case("target-week-behind", "The backup disk missed the last eight nights: the parent is older than what retention keeps", () =>
            AMonthOnTheSource()
                .BackupsOf(Nightlies(new DateTime(2026, 9, 15), new DateTime(2026, 11, 18)).Append(Suffixed[0]))
                .SourceRetention(keepDays: 7, keepCount: 10)
                .TargetRetention(keepDays: 60, keepCount: 30));

        yield return Case("target-unplugged", "The backup disk is not mounted; the last run that reached it recorded 2026-11-18T03:00:00", () =>
            AMonthOnTheSource()
                .BackupsOf(Nightlies(new DateTime(2026, 9, 15), new DateTime(2026, 11, 18)).Append(Suffixed[0])) // not listed: the disk is away
                .TargetStatus(Status.OnSourceFilesystem)
                .LastKnownParent("2026-11-18T03:00:00")
                .SourceRetention(keepDays: 7, keepCount: 10)
                .TargetRetention(keepDays: 60, keepCount: 30));

        yield return Case("no-target-retention", "Retention on the source only: the target keeps everything", () =>
            AMonthOnTheSource()
                .BackupsOf(Nightlies(new DateTime(2026, 10, 20), new DateTime(2026, 11, 26)).Concat(Suffixed))
                .SourceRetention(keepDays: 7, keepCount: 10));

        yield return Case("renamed-and-incomplete", "Backups renamed by hand, an interrupted receive of the newest, and foreign subvolumes on both sides", () =>
        {
            var builder = AMonthOnTheSource()
                .ForeignInSnapshotDir("home.old")
                .BackupsOf(Nightlies(new DateTime(2026, 10, 27), new DateTime(2026, 11, 24)).Where(name => name is not "2026-10-31T03:00:00" and not "2026-11-20T03:00:00"))
                .BackupsOf(Suffixed[0], Suffixed[1])
                .BackupOf("2026-10-31T03:00:00", nameOnTarget: "2026-10-31T03:00:00-end-of-october")
                .BackupOf("2026-11-20T03:00:00", nameOnTarget: "2026-11-01T00:00:00-before-the-move")
                .BackupOf("2026-11-25T03:00:00", nameOnTarget: "2026-11-25T03:00:00-last-good")
                .IncompleteReceive("2026-11-26T03:00:00")
                .ForeignOnTarget("home-manual-copy", receivedFrom: "2026-11-26T03:00:00");
            return builder
                .SourceRetention(keepDays: 7, keepCount: 10)
                .TargetRetention(keepDays: 14, keepCount: 10);
        });

        static TestCaseData Case(string name, string description, Func<InventoryBuilder> history) =>
            new TestCaseData(name, new Func<PairInventory>(() => history().Build())).SetName($"Purge_plan_{name.Replace('-', '_')}").SetDescription(description);
    }

    [TestCaseSource(nameof(Histories))]
    public void The_purge_plan_matches_its_reference(string name, Func<PairInventory> inventory)
    {
        var actual = RetentionPlanner.Plan(inventory(), Now).Format();

        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            var sourceFile = Path.Combine(CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "purge-plans", $"{name}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(sourceFile)!);
            File.WriteAllText(sourceFile, actual);
            Assert.Pass($"UPDATE_REFERENCE=1: wrote {sourceFile}; review it with git diff before committing");
        }

        var expectedFile = Path.Combine(OutputFolder, $"{name}.txt");
        Assert.That(File.Exists(expectedFile), Is.True, $"{expectedFile} is missing; run with UPDATE_REFERENCE=1 to write it. The plan is:\n{actual}");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedFile)), $"the plan differs from Reference/purge-plans/{name}.txt (UPDATE_REFERENCE=1 rewrites it on purpose)");
    }

    [Test]
    public void Every_reference_file_has_a_history()
    {
        var cases = Histories().Select(data => (string)data.Arguments[0]!);
        var files = Directory.EnumerateFiles(OutputFolder, "*.txt").Select(Path.GetFileNameWithoutExtension);

        Assert.That(files, Is.EquivalentTo(cases));
    }

    /// <summary>Nightly 03:00 snapshots from 2026-10-27 to 2026-11-26 and three suffixed ones, none purged yet.</summary>
    private static InventoryBuilder AMonthOnTheSource() =>
        new InventoryBuilder("home").Snapshots([.. Nightlies(new DateTime(2026, 10, 27), new DateTime(2026, 11, 26)), .. Suffixed]);

    private static IEnumerable<string> Nightlies(DateTime first, DateTime last)
    {
        for (var day = first.Date; day <= last.Date; day = day.AddDays(1))
        {
            yield return SnapshotNames.WithoutOffset(day.AddHours(3));
        }
    }
}

/// <summary>Shorthands for the reference histories.</summary>
internal static class InventoryBuilderHistoryExtensions
{
    public static InventoryBuilder BackupsOf(this InventoryBuilder builder, IEnumerable<string> snapshotNames) =>
        snapshotNames.Aggregate(builder, (current, name) => current.BackupOf(name));

    public static InventoryBuilder BackupsOf(this InventoryBuilder builder, params string[] snapshotNames) =>
        builder.BackupsOf(snapshotNames.AsEnumerable());
}
