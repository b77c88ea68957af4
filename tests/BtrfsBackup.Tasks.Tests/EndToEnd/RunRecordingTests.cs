using BtrfsBackup.Reporting;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>The program at the end of a run: history lines, the metrics file and the hook, with <c>[run]</c> pointed into the sandbox.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class RunRecordingTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset Tonight = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_nightly_with_one_failing_pair_records_both_runs_the_failure_hook_and_exits_1()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var broken = PairLayout.Create(Sandbox, "broken") with { Source = Path.Combine(Sandbox.Filesystems[0].MountPoint, "not-there") };
        var history = Path.Combine(Sandbox.Root, "state-here", "history.jsonl");
        var metrics = Path.Combine(Sandbox.Root, "btrfsbackup.prom");
        var hook = Path.Combine(Sandbox.Root, "on-failure.sh");
        File.WriteAllText(hook, $"#!/bin/sh\ncat > '{hook}.stdin'\necho \"$BTRFSBACKUP_OUTCOME $BTRFSBACKUP_FAILED_PAIRS\" > '{hook}.env'\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var config = ConfigFile.Write(Sandbox.Root, home, broken);
        File.AppendAllText(config, $"[run]\nhistory_file = {ConfigFile.Quote(history)}\nmetrics_file = {ConfigFile.Quote(metrics)}\non_failure = [{ConfigFile.Quote(hook)}]\n");

        var dry = CakeAt(Tonight, "nightly", $"--config={config}", "--dryrun");

        Assert.That(File.Exists(history) || File.Exists(metrics) || File.Exists(hook + ".stdin"), Is.False, dry.ToString());

        var result = CakeAt(Tonight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        var records = RunHistory.Read(history);
        Assert.That(records.Select(record => (record.Pair, record.Outcome)), Is.EqualTo(new[] { ("home", "succeeded"), ("broken", "failed") }), result.ToString());
        Assert.That(records[0].Started, Is.EqualTo(Tonight));
        Assert.That(records[0].SnapshotsMade, Is.EqualTo(new[] { "2026-11-30T03:00:00+00:00" }));
        Assert.That(records[0].BytesSent, Is.GreaterThan(0));
        Assert.That(File.ReadAllText(metrics), Does.Contain("\nbtrfsbackup_last_run_outcome{pair=\"broken\",outcome=\"failed\"} 1\n"));
        Assert.That(File.ReadAllText(metrics), Does.Contain($"\nbtrfsbackup_last_success_timestamp_seconds{{pair=\"home\"}} {Tonight.ToUnixTimeSeconds()}\n"));
        Assert.That(File.ReadAllText(hook + ".env"), Is.EqualTo("failed broken\n"));
        Assert.That(File.ReadAllText(hook + ".stdin"), Does.StartWith("Run summary\n  home: succeeded\n"));
    }

    [Test]
    public void Without_a_run_table_the_history_goes_to_the_default_place_which_tests_point_into_the_sandbox()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = CakeAt(Tonight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var record = RunHistory.LastFor(Path.Combine(Sandbox.StateFolder, "history.jsonl"), "home");
        Assert.That(record?.Outcome, Is.EqualTo(RunOutcomes.Succeeded), result.ToString());
    }
}
