using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// Calendar retention on real btrfs, the clock standing at chosen instants in Europe/Berlin
/// (libfaketime): days are Berlin's, not UTC's; a suffixed snapshot stays on the target with
/// keep_suffixed; <c>list --why</c> names the rule under the program and under dotnet cake.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class CalendarRetentionEndToEndTests : RealBtrfsFixture
{
    private const string Zone = "Europe/Berlin";

    [Test]
    public void Nightlies_in_berlin_keep_the_first_of_each_berlin_day_and_list_why_names_each_rule()
    {
        var home = PairLayout.Create(Sandbox) with
        {
            SourceRetention = new RetentionPolicy(0, 0) { KeepDaily = 2 },
            TargetRetention = new RetentionPolicy(0, 0) { KeepWeekly = 1, KeepSuffixedDays = RetentionPolicy.Forever },
            AlertAfterDays = null,
        };
        var config = ConfigFile.Write(Sandbox.Root, home);
        Assert.That(File.ReadAllText(config), Does.Contain("keep_weekly = 1\nkeep_suffixed = true"));

        // 23:30 on the 27th and 00:30 on the 28th in Berlin are one UTC day (the 27th), two Berlin days.
        foreach (var instant in new[] { At(11, 27, 22, 30), At(11, 27, 23, 30), At(11, 28, 10, 0) })
        {
            var nightly = RunAt(instant, "nightly", $"--config={config}");
            Assert.That(nightly.ExitCode, Is.EqualTo(ExitCodes.Success), nightly.ToString());
        }

        var preApt = RunAt(At(11, 28, 12, 0), "snapshot", "--pair=home", "--suffix=pre-apt", $"--config={config}");
        Assert.That(preApt.ExitCode, Is.EqualTo(ExitCodes.Success), preApt.ToString());
        var last = RunAt(At(11, 29, 10, 0), "nightly", $"--config={config}");
        Assert.That(last.ExitCode, Is.EqualTo(ExitCodes.Success), last.ToString());

        Assert.That(Names(home.SnapshotDir), Is.EqualTo(new[] { "2026-11-28T00:30:00+01:00", "2026-11-29T11:00:00+01:00" }), last.ToString());
        Assert.That(Names(home.Target!), Is.EqualTo(new[] { "2026-11-27T23:30:00+01:00", "2026-11-28T13:00:00+01:00-pre-apt", "2026-11-29T11:00:00+01:00" }), last.ToString());
        Assert.That(last.Output, Does.Contain("not the first of a kept day (keep_daily = 2)"), last.ToString());

        var program = RunAt(At(11, 29, 10, 5), "list", "--why", $"--config={config}");
        var script = CakeCli.Run(FakeClock.Environment(Sandbox, At(11, 29, 10, 6), Zone), "--target=list", "--why", $"--config={config}");
        foreach (var list in new[] { program, script })
        {
            Assert.That(list.ExitCode, Is.EqualTo(ExitCodes.Success), list.ToString());
            Assert.That(list.Output, Does.Match(@"2026-11-28T00:30:00\+01:00\s+yes\s+-\s+source keeps it: first of day 2026-11-28 \(keep_daily = 2\); sent before; its backup is gone from the target\n"), list.ToString());
            Assert.That(list.Output, Does.Match(@"2026-11-27T23:30:00\+01:00\s+-\s+yes\s+backup only \(its source snapshot is gone\); target keeps it: first of week 2026-W48 \(keep_weekly = 1\)\n"), list.ToString());
            Assert.That(list.Output, Does.Contain("target keeps it: has a suffix (keep_suffixed = true)"), list.ToString());
        }

        var plain = RunAt(At(11, 29, 10, 7), "list", $"--config={config}");
        Assert.That(plain.Output, Does.Not.Contain("keeps it"), "without --why the list is as before");
    }

    private static DateTimeOffset At(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static string[] Names(string folder) =>
        [.. Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().Where(name => name.StartsWith("2026", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private CakeResult RunAt(DateTimeOffset instant, params string[] arguments) =>
        CakeCli.RunProgram(FakeClock.Environment(Sandbox, instant, Zone), arguments);
}
