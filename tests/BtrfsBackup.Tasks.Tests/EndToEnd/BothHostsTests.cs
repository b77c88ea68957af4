using System.Text.RegularExpressions;
using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// One scenario through both hosts of the same registration: <c>dotnet cake build.cake --target=nightly</c>
/// on one sandbox and the compiled <c>btrfsbackup nightly</c> on another, made alike (the same pairs, the
/// same back-dated snapshots and backups, the same changes), at the same fixed instants. First a dry run
/// (the same commands with the same reasons), then two real nights (the same snapshots and backups left,
/// the same tasks in the same order with the same outcomes and skip reasons, the same run summary
/// but for figures and times).
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed partial class BothHostsTests : RealBtrfsFixture
{
    private const string Zone = "UTC";
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondNight = FirstNight.AddDays(1);
    private BtrfsSandbox programSandbox = null!;

    [SetUp]
    public void CreateTheProgramsSandbox() => programSandbox = BtrfsSandbox.Create(2, 256);

    [TearDown]
    public void RemoveTheProgramsSandbox() => programSandbox.Dispose();

    [Test]
    public async Task Dotnet_cake_and_the_program_plan_and_do_the_same_over_two_nights()
    {
        var script = await SetUpAsync(Sandbox);
        var program = await SetUpAsync(programSandbox);

        // The dry run: every command with its reason, in order.
        var scriptPlan = RunScript(script, FirstNight, "--dryrun");
        var programPlan = RunProgram(program, FirstNight, "--dryrun");
        Assert.That((scriptPlan.ExitCode, programPlan.ExitCode), Is.EqualTo((0, 0)), $"{scriptPlan}\n{programPlan}");
        var planned = PlanLines(scriptPlan.Output, Sandbox);
        Assert.That(planned, Has.Some.Contains("btrfs subvolume snapshot -r SANDBOX/fs0/home ").And.Some.Contains("btrfs send").And.Some.Contains("btrfs subvolume delete"), scriptPlan.Output);
        Assert.That(PlanLines(programPlan.Output, programSandbox), Is.EqualTo(planned), "the same plan, line by line");
        Assert.That(TaskRows(programPlan.Output), Is.EqualTo(TaskRows(scriptPlan.Output)), "the same tasks, outcomes and skip reasons in the dry run");

        // Two real nights, the sources changed in between.
        foreach (var night in new[] { FirstNight, SecondNight })
        {
            var scriptRun = RunScript(script, night);
            var programRun = RunProgram(program, night);

            Assert.That((scriptRun.ExitCode, programRun.ExitCode), Is.EqualTo((0, 0)), $"{scriptRun}\n{programRun}");
            var tasks = TaskRows(scriptRun.Output);
            Assert.That(tasks, Has.Member("Send:scratch | Skipped | no target configured").And.Member("Send:home | Succeeded"), scriptRun.Output);
            Assert.That(TaskRows(programRun.Output), Is.EqualTo(tasks), $"the task summary of {night:u}");
            Assert.That(RunSummary(programRun.Output, programSandbox), Is.EqualTo(RunSummary(scriptRun.Output, Sandbox)), $"the run summary of {night:u}");
            Assert.That(await StateAsync(program.Pairs), Is.EqualTo(await StateAsync(script.Pairs)), $"the snapshots and backups after {night:u}");
            foreach (var pair in script.Pairs.Concat(program.Pairs))
            {
                File.WriteAllText(Path.Combine(pair.Source, "changed.txt"), $"after {night:u}\n");
            }
        }

        // Something to compare: each pair snapshotted both nights, purged to its newest two, backups to their newest three.
        var state = await StateAsync(script.Pairs);
        Assert.That(state, Is.EqualTo(new[]
        {
            $"home snapshots: {Name(FirstNight)}, {Name(SecondNight)}",
            $"home backups: {Name(FirstNight.AddDays(-1))}, {Name(FirstNight)}, {Name(SecondNight)}",
            $"root snapshots: {Name(FirstNight)}, {Name(SecondNight)}",
            $"root backups: {Name(FirstNight.AddDays(-1))}, {Name(FirstNight)}, {Name(SecondNight)}",
            $"scratch snapshots: {Name(FirstNight)}, {Name(SecondNight)}",
        }));
    }

    private sealed record Scenario(BtrfsSandbox Sandbox, string Config, IReadOnlyList<BackupPair> Pairs);

    // Three pairs: home with three past nights all backed up, root with only the oldest backed up, scratch
    // with snapshots only; sources keep their newest two snapshots, targets their newest three backups.
    private static async Task<Scenario> SetUpAsync(BtrfsSandbox sandbox)
    {
        var keepTwo = new RetentionPolicy(KeepDays: 0, KeepCount: 2);
        var keepThree = new RetentionPolicy(KeepDays: 0, KeepCount: 3);
        var home = PairLayout.Create(sandbox, "home") with { SourceRetention = keepTwo, TargetRetention = keepThree };
        var root = PairLayout.Create(sandbox, "root") with { SourceRetention = keepTwo, TargetRetention = keepThree };
        var scratch = PairLayout.Create(sandbox, "scratch", withTarget: false) with { SourceRetention = keepTwo, TargetRetention = null };
        foreach (var pair in new[] { home, root, scratch })
        {
            Directory.CreateDirectory(pair.SnapshotDir);
            for (var nightsAgo = 3; nightsAgo >= 1; nightsAgo--)
            {
                Shell.Run("btrfs", "subvolume", "snapshot", "-r", pair.Source, Path.Combine(pair.SnapshotDir, Name(FirstNight.AddDays(-nightsAgo))));
                if (pair == home || (pair == root && nightsAgo == 3))
                {
                    var send = new SendTask { Environment = sandbox.Now(), Inventory = await Scans.OfAsync(pair), Log = new RecordingLog() };
                    Assert.That(send.Run().FailureCause, Is.Null);
                }
            }
        }

        return new Scenario(sandbox, ConfigFile.Write(sandbox.Root, home, root, scratch), [home, root, scratch]);
    }

    private static CakeResult RunScript(Scenario scenario, DateTimeOffset night, params string[] arguments) =>
        CakeCli.Run(FakeClock.Environment(scenario.Sandbox, night, Zone), ["--target=nightly", $"--config={scenario.Config}", .. arguments]);

    private static CakeResult RunProgram(Scenario scenario, DateTimeOffset night, params string[] arguments) =>
        CakeCli.RunProgram(FakeClock.Environment(scenario.Sandbox, night, Zone), ["nightly", $"--config={scenario.Config}", .. arguments]);

    private static string Name(DateTimeOffset instant) => FakeClock.SnapshotName(instant, Zone);

    // "[dry run] would run: COMMAND  # REASON", with the sandbox's own paths made alike.
    private static List<string> PlanLines(string output, BtrfsSandbox sandbox) =>
        [.. output.Split('\n').Where(line => line.StartsWith("[dry run] would run: ", StringComparison.Ordinal)).Select(line => Normalize(line, sandbox))];

    // Cake's task summary: "Task | Status[ | Skip reason]" per row, durations left out; a skip reason the
    // table wrapped onto the lines below its row (80 columns when not a terminal) joined again.
    private static List<string> TaskRows(string output)
    {
        var rows = new List<(string Task, string Status, string Reason)>();
        foreach (var line in output.Split('\n'))
        {
            if (TaskRow().Match(line) is { Success: true } row)
            {
                rows.Add((row.Groups["task"].Value, row.Groups["status"].Value, row.Groups["reason"].Value.Trim()));
            }
            else if (rows.Count > 0 && WrappedReason().Match(line) is { Success: true } more && rows[^1].Status == "Skipped")
            {
                rows[^1] = rows[^1] with { Reason = $"{rows[^1].Reason} {more.Groups["more"].Value}" };
            }
        }

        return [.. rows.Select(row => row.Reason.Length == 0 ? $"{row.Task} | {row.Status}" : $"{row.Task} | {row.Status} | {row.Reason}")];
    }

    // The run summary from its heading, paths made alike and figures (sizes, times, rates) left out.
    private static string RunSummary(string output, BtrfsSandbox sandbox)
    {
        var start = output.IndexOf("Run summary", StringComparison.Ordinal);
        Assert.That(start, Is.Not.Negative, output);
        var lines = output[start..].Split('\n').TakeWhile(line => line.Length > 0);
        return Figures().Replace(Normalize(string.Join('\n', lines), sandbox), "#");
    }

    private static string Normalize(string text, BtrfsSandbox sandbox) => text.Replace(sandbox.Root, "SANDBOX", StringComparison.Ordinal);

    // Per pair, the names in its snapshot_dir and its target, as the filesystem has them.
    private static async Task<List<string>> StateAsync(IReadOnlyList<BackupPair> pairs)
    {
        var state = new List<string>();
        foreach (var pair in pairs)
        {
            var inventory = await Scans.OfAsync(pair);
            state.Add($"{pair.Name} snapshots: {Names(inventory.SnapshotDir)}");
            if (inventory.Target is { } target)
            {
                state.Add($"{pair.Name} backups: {Names(target)}");
            }
        }

        return state;
    }

    private static string Names(SnapshotLocation location) => string.Join(", ", location.Snapshots.Select(snapshot => snapshot.Name.ToString()));

    [GeneratedRegex(@"^\s+(?<task>(?:Scan|Snapshot|Send|Purge|Verify|Restore):\w+|nightly)\s{2,}\S+\s{2,}(?<status>Succeeded|Skipped|Failed|Executed)(?<reason>\s{2,}.*?)?\s*$")]
    private static partial Regex TaskRow();

    [GeneratedRegex(@"^\s{30,}(?<more>\S.*?)\s*$")]
    private static partial Regex WrappedReason();

    [GeneratedRegex(@"\d+(?:\.\d+)?\s?(?:B|KiB|MiB|GiB|TiB|s|ms)(?:/s)?\b")]
    private static partial Regex Figures();
}
