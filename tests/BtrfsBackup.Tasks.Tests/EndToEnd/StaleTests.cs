using System.Text.Json;
using System.Text.RegularExpressions;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// Stale pairs fail loudly (exit code 3) under both hosts, with the clock standing at chosen instants
/// (libfaketime): a backup disk away for 8 days, a target directory that never became a mount, a
/// failure that wins over stale, the alarm turned off; and <c>status</c> (text and JSON) on real btrfs.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed partial class StaleTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EightDaysLater = FirstNight.AddDays(8);
    private BackupPair home = null!;

    [SetUp]
    public void CreatePair() => home = PairLayout.Create(Sandbox) with { AlertAfterDays = 7 };

    [Test]
    public void A_pair_whose_disk_is_away_for_eight_days_exits_3_with_the_stale_line_under_the_program_and_dotnet_cake()
    {
        var config = ConfigFile.Write(Sandbox.Root, home);
        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.ToString());
        BtrfsSandbox.Unmount(Sandbox.Filesystems[1]);

        var program = CakeAt(EightDaysLater, "nightly", $"--config={config}");
        var script = CakeScriptAt(EightDaysLater.AddMinutes(1), "--target=nightly", $"--config={config}");

        foreach (var result in new[] { program, script })
        {
            Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Stale), result.ToString());
            Assert.That(result.Output, Does.Contain("  home: succeeded\n    STALE: newest backup 8 days old (alert_after_days = 7)"), result.ToString());
            Assert.That(result.Output + result.Error, Does.Contain("1 of 1 pair(s) stale:"), result.ToString());
        }
    }

    [Test]
    public void A_pair_backed_up_this_night_exits_0_and_status_says_ok()
    {
        var config = ConfigFile.Write(Sandbox.Root, home);
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.EqualTo(ExitCodes.Success));

        // Eight days on, the disk is there: the nightly sends, and the pair is fresh again.
        var nightly = CakeAt(EightDaysLater, "nightly", $"--config={config}");
        var status = CakeAt(EightDaysLater.AddHours(1), "status", $"--config={config}");

        Assert.That(nightly.ExitCode, Is.EqualTo(ExitCodes.Success), nightly.ToString());
        Assert.That(nightly.Output, Does.Not.Contain("STALE"));
        Assert.That(status.ExitCode, Is.EqualTo(ExitCodes.Success), status.ToString());
        Assert.That(status.Output, Does.Match(@"\nhome\s+1h 0m\s+1h 0m\s+ok\s+succeeded 2026-12-09T03:00:00\+00:00\n"), status.ToString());
    }

    [Test]
    public void A_failed_pair_wins_over_a_stale_one()
    {
        var root = PairLayout.Create(Sandbox, "root") with { AlertAfterDays = 7 };
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.EqualTo(ExitCodes.Success));
        BtrfsSandbox.Unmount(Sandbox.Filesystems[1]);
        Shell.Run("btrfs", "subvolume", "delete", root.Source);

        var result = CakeAt(EightDaysLater, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Failure), result.ToString());
        Assert.That(result.Output, Does.Contain("    STALE: newest backup 8 days old (alert_after_days = 7)"), "the stale pair is still reported");
        Assert.That(result.Output, Does.Contain("  root: FAILED at Scan"));
    }

    [Test]
    public void Alert_after_days_0_turns_the_alarm_off()
    {
        var config = ConfigFile.Write(Sandbox.Root, home with { AlertAfterDays = null });
        Assert.That(File.ReadAllText(config), Does.Contain("alert_after_days = 0"));
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.EqualTo(ExitCodes.Success));
        BtrfsSandbox.Unmount(Sandbox.Filesystems[1]);

        var result = CakeAt(EightDaysLater, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Output, Does.Not.Contain("STALE"));
    }

    [Test]
    public void A_target_on_the_source_filesystem_that_never_becomes_a_mount_is_stale_after_the_limit_from_the_first_snapshot()
    {
        var neverMounted = home with { Target = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[0].MountPoint, "mnt", "usb", "home")).FullName };
        var config = ConfigFile.Write(Sandbox.Root, neverMounted);

        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        var threeDaysOn = CakeAt(FirstNight.AddDays(3), "nightly", $"--config={config}");
        var eightDaysOn = CakeAt(EightDaysLater, "nightly", $"--config={config}");

        Assert.That(first.ExitCode, Is.EqualTo(ExitCodes.Success), first.ToString());
        Assert.That(first.Output, Does.Contain("on the source's own filesystem"));
        Assert.That(threeDaysOn.ExitCode, Is.EqualTo(ExitCodes.Success), "never backed up, but the oldest snapshot is younger than the limit");
        Assert.That(eightDaysOn.ExitCode, Is.EqualTo(ExitCodes.Stale), eightDaysOn.ToString());
        Assert.That(eightDaysOn.Output, Does.Contain("    STALE: no backup yet, oldest snapshot 8 days old (alert_after_days = 7)"));
    }

    [Test]
    public void Status_and_list_under_both_hosts_match_their_references_and_exit_3_for_a_stale_pair()
    {
        var scratch = PairLayout.Create(Sandbox, "scratch", withTarget: false);
        var config = ConfigFile.Write(Sandbox.Root, home, scratch);
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.EqualTo(ExitCodes.Success));
        BtrfsSandbox.Unmount(Sandbox.Filesystems[1]);
        Assert.That(CakeAt(EightDaysLater, "nightly", $"--config={config}").ExitCode, Is.EqualTo(ExitCodes.Stale));
        var now = EightDaysLater.AddHours(2);

        var text = CakeAt(now, "status", $"--config={config}");
        var json = CakeAt(now, "status", "--format=json", $"--config={config}");
        var scriptJson = CakeScriptAt(now, "--target=status", "--format=json", "--verbosity=quiet", "--no-report", $"--config={config}");
        var list = CakeAt(now, "list", "--format=json", $"--config={config}");

        Assert.That(text.ExitCode, Is.EqualTo(ExitCodes.Stale), text.ToString());
        Assert.That(json.ExitCode, Is.EqualTo(ExitCodes.Stale), json.ToString());
        Assert.That(scriptJson.ExitCode, Is.EqualTo(ExitCodes.Stale), scriptJson.ToString());
        Assert.That(list.ExitCode, Is.EqualTo(ExitCodes.Stale), list.ToString());
        AssertMatchesReference("status-on-disk.txt", StatusTable(text.Output));
        Assert.That(text.Output, Does.Contain("Run summary\n  home: STALE: newest backup 8 days old (alert_after_days = 7)"));
        AssertMatchesReference("status-on-disk.json", Normalize(json.Output)); // the program's JSON mode: the JSON alone
        AssertMatchesReference("status-on-disk.json", Normalize(scriptJson.Output)); // dotnet cake: with --verbosity=quiet --no-report
        AssertMatchesReference("list-on-disk.json", Normalize(list.Output));
        using var parsed = JsonDocument.Parse(json.Output);
        Assert.That(parsed.RootElement.GetProperty("pairs")[0].GetProperty("newest_backup_age_seconds").GetInt64(), Is.EqualTo((8 * 86400) + 7200));
    }

    [Test]
    public void An_unknown_format_stops_the_run_before_anything_is_touched()
    {
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = Cake("status", "--format=xml", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Failure));
        Assert.That(result.Output + result.Error, Does.Contain("--format must be text or json, got 'xml'. Nothing was touched."));
    }

    private CakeResult CakeScriptAt(DateTimeOffset instant, params string[] arguments) =>
        CakeCli.Run(FakeClock.Environment(Sandbox, instant, "UTC"), arguments);

    // The status table alone (header to the last pair), out of Cake's task output around it.
    private static string StatusTable(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, line => line.StartsWith("PAIR ", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), output);
        return string.Join('\n', lines.Skip(start).TakeWhile(line => line.Trim().Length > 0)) + "\n";
    }

    // Paths under the sandbox and UUIDs differ from run to run.
    private string Normalize(string output) =>
        Uuid().Replace(output.Replace(Sandbox.Root, "<sandbox>", StringComparison.Ordinal), "<uuid>");

    // With UPDATE_REFERENCE=1 the file in the source tree is rewritten (review it with git diff).
    private static void AssertMatchesReference(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            File.WriteAllText(Path.Combine(CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "watch", name), actual);
            return;
        }

        var expected = Path.Combine(AppContext.BaseDirectory, "Reference", "watch", name);
        Assert.That(File.Exists(expected), Is.True, $"{expected} is missing; UPDATE_REFERENCE=1 writes it. The output is:\n{actual}");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expected)), $"the output differs from Reference/watch/{name} (UPDATE_REFERENCE=1 rewrites it on purpose)");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();
}
