using System.Text.Json;
using BtrfsBackup.Configuration;
using BtrfsBackup.Reporting;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Scenarios;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Reporting;

/// <summary>
/// The end of a run on the model (no root): history lines per pair, the metrics file, and the hooks,
/// with the settings of <c>[run]</c> pointed into the test's own folder.
/// </summary>
[TestFixture]
public sealed class RunEndTests
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy KeepOne = new(0, 1);
    private ModelWorld world = null!;
    private ReportingFolder folder = null!;

    [SetUp]
    public void CreateWorld()
    {
        world = new ModelWorld();
        folder = new ReportingFolder();
    }

    [TearDown]
    public void RemoveWorld()
    {
        world.Dispose();
        folder.Dispose();
    }

    [Test]
    public void A_real_run_of_two_pairs_one_failing_appends_one_line_per_pair()
    {
        var (run, log) = NightlyOfHomeAndBroken(RunSettings.None with { HistoryFile = folder.History });

        var problems = RunEnd.Record(run);

        Assert.That(problems, Is.Empty, log.ToString());
        var lines = File.ReadAllLines(folder.History);
        Assert.That(lines, Has.Length.EqualTo(2));
        using var home = JsonDocument.Parse(lines[0]);
        using var broken = JsonDocument.Parse(lines[1]);
        Assert.That(
            home.RootElement.EnumerateObject().Select(property => property.Name),
            Is.EqualTo(new[] { "schema_version", "pair", "started", "ended", "outcome", "failed_step", "error", "bytes_sent", "snapshots_made", "snapshots_sent", "snapshots_deleted", "skipped", "newest_backup" }));
        Assert.That(home.RootElement.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
        Assert.That(home.RootElement.GetProperty("pair").GetString(), Is.EqualTo("home"));
        Assert.That(home.RootElement.GetProperty("started").GetString(), Is.EqualTo("2026-11-01T03:00:00+00:00"));
        Assert.That(home.RootElement.GetProperty("ended").GetString(), Is.EqualTo("2026-11-01T03:00:00+00:00"));
        Assert.That(home.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("succeeded"));
        Assert.That(home.RootElement.GetProperty("failed_step").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(home.RootElement.GetProperty("bytes_sent").GetInt64(), Is.GreaterThan(0));
        Assert.That(home.RootElement.GetProperty("snapshots_made")[0].GetString(), Is.EqualTo("2026-11-01T03:00:00+00:00"));
        Assert.That(home.RootElement.GetProperty("snapshots_sent")[0].GetString(), Is.EqualTo("2026-11-01T03:00:00+00:00"));
        Assert.That(home.RootElement.GetProperty("newest_backup").GetString(), Is.EqualTo("2026-11-01T03:00:00+00:00"));
        Assert.That(broken.RootElement.GetProperty("outcome").GetString(), Is.EqualTo("failed"));
        Assert.That(broken.RootElement.GetProperty("failed_step").GetString(), Is.EqualTo("Scan"));
        Assert.That(broken.RootElement.GetProperty("error").GetString(), Does.StartWith("source ").And.Contains("does not exist"));
        Assert.That(RunHistory.LastFor(folder.History, "broken")!.Outcome, Is.EqualTo(RunOutcomes.Failed));
        Assert.That(Convert.ToString((int)File.GetUnixFileMode(Path.GetDirectoryName(folder.History)!), 8), Is.EqualTo("700"), "the history's folder is made root-only");
    }

    [Test]
    public void A_second_night_deletes_by_name_per_side()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), new RecordingLog(), home);
        var log = new RecordingLog();
        var run = NightlyDriver.Run(world.At(FirstNight.AddDays(1), TimeZoneInfo.Utc), log, NightlyDriver.Nightly, new BackupRunOptions { RunSettings = RunSettings.None with { HistoryFile = folder.History } }, home);

        Assert.That(RunEnd.Record(run), Is.Empty);

        var record = RunHistory.LastFor(folder.History, "home")!;
        Assert.That(record.SnapshotsDeleted.Source, Is.EqualTo(new[] { "2026-11-01T03:00:00+00:00" }), log.ToString());
        Assert.That(record.SnapshotsDeleted.Target, Is.EqualTo(new[] { "2026-11-01T03:00:00+00:00" }), log.ToString());
    }

    [Test]
    public void A_dry_run_writes_no_history_no_metrics_and_runs_no_hook()
    {
        var hook = folder.HookScript("hook");
        var settings = RunSettings.None with { HistoryFile = folder.History, MetricsFile = folder.Metrics, OnSuccess = [hook], OnFailure = [hook] };
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), new RecordingLog(), NightlyDriver.Nightly, new BackupRunOptions { DryRun = true, RunSettings = settings }, home);

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(File.Exists(folder.History), Is.False);
        Assert.That(File.Exists(folder.Metrics), Is.False);
        Assert.That(File.Exists(hook + ".stdin"), Is.False);
    }

    [Test]
    public void A_run_that_only_scans_writes_no_history()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), new RecordingLog(), [BackupStep.Scan], new BackupRunOptions { RunSettings = RunSettings.None with { HistoryFile = folder.History } }, home);

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(File.Exists(folder.History), Is.False);
    }

    [Test]
    public void An_unplugged_target_is_a_skipped_outcome()
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        world.Unplug();
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), new RecordingLog(), NightlyDriver.Nightly, new BackupRunOptions { RunSettings = RunSettings.None with { HistoryFile = folder.History } }, home);

        Assert.That(RunEnd.Record(run), Is.Empty);

        var record = RunHistory.LastFor(folder.History, "home")!;
        Assert.That(record.Outcome, Is.EqualTo(RunOutcomes.Skipped));
        Assert.That(record.SnapshotsMade, Has.Count.EqualTo(1));
        Assert.That(record.NewestBackup, Is.Null);
    }

    [Test]
    public void A_history_that_cannot_be_written_is_a_problem_of_the_run_and_the_failure_hook_runs()
    {
        File.WriteAllText(folder.PathOf("elsewhere"), string.Empty);
        Directory.CreateDirectory(Path.GetDirectoryName(folder.History)!);
        File.CreateSymbolicLink(folder.History, folder.PathOf("elsewhere"));
        var hook = folder.HookScript("failure-hook");
        var (run, _) = NightlyOfHomeOnly(RunSettings.None with { HistoryFile = folder.History, OnFailure = [hook] });

        var problems = RunEnd.Record(run);

        Assert.That(problems, Is.EqualTo(new[] { $"Could not write the run history {folder.History}: {folder.History} is a symlink, not a regular file; refusing to use it" }));
        Assert.That(File.ReadAllText(folder.PathOf("elsewhere")), Is.Empty, "the symlink's target is untouched");
        Assert.That(File.ReadAllText(hook + ".env"), Is.EqualTo("outcome=failed failed=\n"));
    }

    [Test]
    public void The_success_hook_gets_the_summary_on_stdin_and_the_outcome_in_its_environment()
    {
        var success = folder.HookScript("success-hook");
        var failure = folder.HookScript("failure-hook");
        var (run, log) = NightlyOfHomeOnly(RunSettings.None with { OnSuccess = [success, "--tag", "nightly backup"], OnFailure = [failure] });

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(File.ReadAllText(success + ".stdin"), Is.EqualTo(RunSummary.Format(run) + "\n"), log.ToString());
        Assert.That(File.ReadAllText(success + ".stdin"), Does.StartWith("Run summary\n  home: succeeded\n"));
        Assert.That(File.ReadAllText(success + ".args"), Is.EqualTo("--tag nightly backup\n"));
        Assert.That(File.ReadAllText(success + ".env"), Is.EqualTo("outcome=succeeded failed=\n"));
        Assert.That(File.Exists(failure + ".stdin"), Is.False);
    }

    [Test]
    public void The_failure_hook_runs_when_a_pair_failed_and_names_it()
    {
        var success = folder.HookScript("success-hook");
        var failure = folder.HookScript("failure-hook");
        var (run, _) = NightlyOfHomeAndBroken(RunSettings.None with { HistoryFile = null, OnSuccess = [success], OnFailure = [failure] });

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(File.ReadAllText(failure + ".env"), Is.EqualTo("outcome=failed failed=broken\n"));
        Assert.That(File.ReadAllText(failure + ".stdin"), Does.Contain("  broken: FAILED at Scan: source "));
        Assert.That(File.Exists(success + ".stdin"), Is.False);
    }

    [Test]
    public void A_hook_that_exits_1_is_only_a_warning()
    {
        var hook = folder.HookScript("failing-hook", "echo 'mail: cannot connect' >&2; exit 1");
        var (run, log) = NightlyOfHomeOnly(RunSettings.None with { OnSuccess = [hook] });

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(log.Lines, Has.One.EqualTo($"warning: The hook {hook} failed with exit code 1 (mail: cannot connect); the run's result stands."));
    }

    [Test]
    public void A_hook_still_running_at_its_time_limit_is_killed_with_a_warning()
    {
        // The hook never ends by itself: only the limit can end it, so nothing here depends on timing.
        var hook = folder.HookScript("hanging-hook", $"echo $$ > '{folder.PathOf("hanging.pid")}'; exec sleep 3600");
        var (run, log) = NightlyOfHomeOnly(RunSettings.None with { OnSuccess = [hook], HookTimeLimit = TimeSpan.FromMilliseconds(300) });

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(log.Lines, Has.One.EqualTo($"warning: The hook {hook} was still running after 0.3 s and was killed; the run's result stands."));
        if (File.Exists(folder.PathOf("hanging.pid")))
        {
            var pid = int.Parse(File.ReadAllText(folder.PathOf("hanging.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the hook's process is gone");
        }
    }

    [Test]
    public void A_hook_that_cannot_start_is_only_a_warning()
    {
        var (run, log) = NightlyOfHomeOnly(RunSettings.None with { OnSuccess = [folder.PathOf("no-such-program")] });

        Assert.That(RunEnd.Record(run), Is.Empty);

        Assert.That(log.Lines, Has.One.StartsWith($"warning: The hook {folder.PathOf("no-such-program")} could not be run: "));
    }

    private (BackupRun Run, RecordingLog Log) NightlyOfHomeAndBroken(RunSettings settings)
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var broken = world.CreatePair("broken", KeepOne, KeepOne) with { Source = Path.Combine(world.SystemDisk, "not-there") };
        var log = new RecordingLog();
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, NightlyDriver.Nightly, new BackupRunOptions { RunSettings = settings }, home, broken);
        return (run, log);
    }

    private (BackupRun Run, RecordingLog Log) NightlyOfHomeOnly(RunSettings settings)
    {
        var home = world.CreatePair("home", KeepOne, KeepOne);
        var log = new RecordingLog();
        var run = NightlyDriver.Run(world.At(FirstNight, TimeZoneInfo.Utc), log, NightlyDriver.Nightly, new BackupRunOptions { RunSettings = settings }, home);
        return (run, log);
    }
}
