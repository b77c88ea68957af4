using System.Text;
using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Planning;

/// <summary>
/// A year of hourly snapshots (8760, Europe/Berlin, both DST changes) under three typical calendar
/// policies; the plan must equal <c>Reference/calendar-plans/NAME.txt</c>: every snapshot kept, with
/// its reasons, and each run of deletions as one line. <c>UPDATE_REFERENCE=1</c> rewrites the files.
/// bench/retention-vs-btrbk.sh compares the kept snapshots with btrbk's planner (docs/retention.md).
/// </summary>
[TestFixture]
public sealed class CalendarPlanReferenceTests
{
    /// <summary>Half an hour after the last snapshot: 2026-12-01T00:30 in Berlin.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset First = new(2025, 11, 30, 23, 0, 0, TimeSpan.Zero);

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "Reference", "calendar-plans");

    public static IEnumerable<TestCaseData> Policies()
    {
        yield return Case("desktop-source", "a laptop's snapshot_dir, as snapper's timeline keeps it", new RetentionPolicy(0, 0) { KeepHourly = 24, KeepDaily = 7, KeepWeekly = 4 });
        yield return Case("backup-disk", "a backup disk, btrbk's `14d 8w *m`", new RetentionPolicy(0, 0) { KeepDaily = 14, KeepWeekly = 8, KeepMonthly = RetentionPolicy.All });
        yield return Case("server-archive", "a server kept for years, weeks from Sunday, days from 03:00", new RetentionPolicy(0, 0)
        {
            KeepHourly = 48,
            KeepDaily = 31,
            KeepWeekly = 26,
            KeepMonthly = 12,
            KeepYearly = RetentionPolicy.All,
            WeekStartsOn = DayOfWeek.Sunday,
            DayStartsAtHour = 3,
        });

        static TestCaseData Case(string name, string description, RetentionPolicy policy) =>
            new TestCaseData(name, policy).SetName($"Calendar_plan_{name.Replace('-', '_')}").SetDescription(description);
    }

    /// <summary>Every hour of the year as the tool names it in Berlin: 8760 names, 23-hour and 25-hour days included.</summary>
    public static IReadOnlyList<string> AYearOfHourlies() =>
        Enumerable.Range(0, 8760).Select(hour => SnapshotName.Create(TimeZoneInfo.ConvertTime(First.AddHours(hour), Berlin), null).ToString()).ToList();

    [TestCaseSource(nameof(Policies))]
    public void The_plan_for_a_year_of_hourlies_matches_its_reference(string name, RetentionPolicy policy)
    {
        var inventory = new InventoryBuilder().Snapshots([.. AYearOfHourlies()]).SourceRetention(policy).NoTarget().Build();
        var plan = RetentionPlanner.Plan(inventory, Now, Berlin);
        var actual = $"# {policy}\n# now {TimeZoneInfo.ConvertTime(Now, Berlin):yyyy-MM-dd'T'HH:mm:sszzz} (Europe/Berlin); {plan.Source.Decisions.Count} snapshots, {plan.Source.Decisions.Count(decision => !decision.Delete)} kept\n" + Condensed(plan.Source);

        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            var sourceFile = Path.Combine(CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "calendar-plans", $"{name}.txt");
            File.WriteAllText(sourceFile, actual);
            Assert.Pass($"UPDATE_REFERENCE=1: wrote {sourceFile}; review it with git diff before committing");
        }

        var expectedFile = Path.Combine(OutputFolder, $"{name}.txt");
        Assert.That(File.Exists(expectedFile), Is.True, $"{expectedFile} is missing; run with UPDATE_REFERENCE=1 to write it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedFile)), $"the plan differs from Reference/calendar-plans/{name}.txt (UPDATE_REFERENCE=1 rewrites it on purpose)");
    }

    [Test]
    public void Every_reference_file_has_a_policy()
    {
        var cases = Policies().Select(data => (string)data.Arguments[0]!);
        var files = Directory.EnumerateFiles(OutputFolder, "*.txt").Select(Path.GetFileNameWithoutExtension);

        Assert.That(files, Is.EquivalentTo(cases));
    }

    // Kept snapshots one per line; consecutive deletions with one reason as "delete FIRST .. LAST (N)".
    private static string Condensed(LocationPurgePlan location)
    {
        var text = new StringBuilder();
        var decisions = location.Decisions;
        for (var index = 0; index < decisions.Count;)
        {
            var decision = decisions[index];
            if (!decision.Delete)
            {
                text.AppendLine(decision.ToString());
                index++;
                continue;
            }

            var end = index;
            while (end + 1 < decisions.Count && decisions[end + 1].Delete && decisions[end + 1].Reason == decision.Reason)
            {
                end++;
            }

            text.AppendLine(end == index ? decision.ToString() : $"delete {decision.Snapshot.Name} .. {decisions[end].Snapshot.Name} ({end - index + 1})  # {decision.Reason}");
            index = end + 1;
        }

        return text.ToString();
    }
}
