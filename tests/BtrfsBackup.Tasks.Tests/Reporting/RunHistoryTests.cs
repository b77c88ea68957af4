using BtrfsBackup.Reporting;

namespace BtrfsBackup.Tests.Reporting;

/// <summary>The history file itself: rotation at its size limit, and lines torn by a killed writer.</summary>
[TestFixture]
public sealed class RunHistoryTests
{
    private static readonly DateTimeOffset Night = new(2026, 11, 1, 3, 0, 0, TimeSpan.FromHours(1));
    private ReportingFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new ReportingFolder();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void The_history_is_renamed_to_dot_1_before_an_append_would_pass_its_limit()
    {
        var line = Record("home", 0).ToJsonLine().Length + 1;
        var limit = 4096L;
        var fitting = (int)(limit / line);
        for (var night = 0; night < fitting; night++)
        {
            RunHistory.Append(folder.History, [Record("home", night)], limit);
        }

        Assert.That(File.Exists(RunHistory.RotatedFile(folder.History)), Is.False, "everything so far fits");
        Assert.That(new FileInfo(folder.History).Length, Is.LessThanOrEqualTo(limit));

        RunHistory.Append(folder.History, [Record("home", fitting)], limit);

        Assert.That(File.ReadAllLines(RunHistory.RotatedFile(folder.History)), Has.Length.EqualTo(fitting));
        Assert.That(File.ReadAllLines(folder.History), Has.Length.EqualTo(1));
        Assert.That(RunHistory.LastFor(folder.History, "home")!.BytesSent, Is.EqualTo(fitting));
        Assert.That(RunHistory.Read(folder.History).Select(record => record.BytesSent), Is.EqualTo(Enumerable.Range(0, fitting + 1).Select(night => (long)night)));

        // A second rotation replaces the old .1: the history holds at most two files.
        for (var night = fitting + 1; night <= 2 * fitting; night++)
        {
            RunHistory.Append(folder.History, [Record("home", night)], limit);
        }

        Assert.That(RunHistory.Read(folder.History)[0].BytesSent, Is.EqualTo(fitting));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(folder.History)!).Select(Path.GetFileName), Is.EquivalentTo(new[] { "history.jsonl", "history.jsonl.1" }));
    }

    [Test]
    public void A_torn_last_line_is_skipped_and_the_next_run_appends_whole_lines_after_it()
    {
        RunHistory.Append(folder.History, [Record("home", 1)], RunSettingsLimit);
        // What a writer killed in the middle of its line would leave (the tool writes whole lines in one write; another writer might not).
        File.AppendAllText(folder.History, """{"schema_version":1,"pair":"home","started":"2026-11-02T03:00""");

        Assert.That(RunHistory.LastFor(folder.History, "home")!.BytesSent, Is.EqualTo(1), "the torn line is skipped");

        RunHistory.Append(folder.History, [Record("home", 3), Record("work", 4)], RunSettingsLimit);

        var lines = File.ReadAllLines(folder.History);
        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(RunRecord.TryParse(lines[1]), Is.Null, "the torn line stays a line of its own");
        Assert.That(RunRecord.TryParse(lines[2])!.BytesSent, Is.EqualTo(3));
        Assert.That(RunHistory.LastFor(folder.History, "home")!.BytesSent, Is.EqualTo(3));
        Assert.That(RunHistory.LastFor(folder.History, "work")!.BytesSent, Is.EqualTo(4));
        Assert.That(RunHistory.LastFor(folder.History, "root"), Is.Null);
    }

    [Test]
    public void No_history_yet_has_no_last_record()
    {
        Assert.That(RunHistory.LastFor(folder.History, "home"), Is.Null);
        Assert.That(RunHistory.Read(folder.History), Is.Empty);
    }

    [Test]
    public void A_history_writable_by_others_is_refused()
    {
        RunHistory.Append(folder.History, [Record("home", 1)], RunSettingsLimit);
        File.SetUnixFileMode(folder.History, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        var error = Assert.Throws<BackupException>(() => RunHistory.Append(folder.History, [Record("home", 2)], RunSettingsLimit));

        Assert.That(error!.Message, Does.StartWith($"{folder.History} is owned by uid {Linux.TrustedFiles.CurrentUserId}, mode 0602: the tool uses only files and folders of its own user"));
        Assert.That(File.ReadAllLines(folder.History), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_line_round_trips_with_its_offset()
    {
        var record = Record("home", 7) with { SnapshotsDeleted = new DeletedSnapshots(["a"], ["b", "c"]), Error = "boom \"quoted\"" };

        var line = record.ToJsonLine();

        Assert.That(line, Does.Contain("\"started\":\"2026-11-08T03:00:00+01:00\""));
        Assert.That(line, Does.Contain("\"snapshots_deleted\":{\"source\":[\"a\"],\"target\":[\"b\",\"c\"]}"));
        Assert.That(RunRecord.TryParse(line), Is.EqualTo(record).Using<RunRecord>((left, right) => left.ToJsonLine() == right.ToJsonLine()));
    }

    private const long RunSettingsLimit = BtrfsBackup.Configuration.RunSettings.DefaultHistoryMaxBytes;

    private static RunRecord Record(string pair, int night) => new()
    {
        Pair = pair,
        Started = Night.AddDays(night),
        Ended = Night.AddDays(night).AddMinutes(2),
        Outcome = RunOutcomes.Succeeded,
        BytesSent = night,
        SnapshotsMade = [Night.AddDays(night).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)],
    };
}
