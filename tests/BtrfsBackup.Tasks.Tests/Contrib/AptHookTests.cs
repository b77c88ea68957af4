using System.Globalization;
using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Contrib;

/// <summary>
/// contrib/apt: the hook's command lines, read from 80btrfsbackup by APT's own parser (apt-config),
/// run as APT runs them (<c>/bin/sh -c LINE</c> in /tmp) with the script at the place the line names
/// replaced by the checkout's copy, the built program and a sandbox configuration. A <c>logger</c>
/// first on PATH records what would reach the journal.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class AptHookTests : RealBtrfsFixture
{
    private const string InstalledScript = "/usr/local/lib/btrfsbackup/btrfsbackup-apt-snapshot";
    private static readonly string AptFolder = Path.Combine(CakeCli.RepositoryRoot, "contrib", "apt");

    protected override int FilesystemCount => 1;

    private string Journal => Path.Combine(Sandbox.Root, "journal.txt");

    [Test]
    public void The_snippet_gives_apt_one_pre_and_one_post_invoke_line_that_runs_the_installed_script_only_when_it_is_there()
    {
        var (pre, post) = HookLines();

        Assert.That(pre, Is.EqualTo($"if [ -x {InstalledScript} ]; then {InstalledScript} pre-apt; fi"));
        Assert.That(post, Is.EqualTo($"if [ -x {InstalledScript} ]; then {InstalledScript} post-apt; fi"));
        Assert.That(RunAsApt(pre, new Dictionary<string, string?>()).ExitCode, Is.Zero, "not installed (the test never installs it): nothing runs, apt goes on");
    }

    [Test]
    public async Task The_hook_lines_snapshot_the_pairs_with_snapshot_on_apt_before_and_after_and_no_other()
    {
        var root = PairLayout.Create(Sandbox, "root", withTarget: false) with { SnapshotOnApt = true };
        var home = PairLayout.Create(Sandbox, "home", withTarget: false);
        var config = ConfigFile.Write(Sandbox.Root, root, home);
        var (pre, post) = HookLines();

        var before = RunAsApt(Installed(pre), Environment(config));
        File.AppendAllText(Path.Combine(root.Source, "hello.txt"), "upgraded\n");
        var after = RunAsApt(Installed(post), Environment(config));

        Assert.That((before.ExitCode, before.StandardError), Is.EqualTo((0, string.Empty)), before.StandardOutput);
        Assert.That((after.ExitCode, after.StandardError), Is.EqualTo((0, string.Empty)), after.StandardOutput);
        var names = (await Scans.OfAsync(root)).SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.Suffix).ToList();
        Assert.That(names, Is.EqualTo(new[] { "pre-apt", "post-apt" }));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False, "a pair without snapshot_on_apt is left alone");
        Assert.That(File.ReadAllText(Journal), Does.Contain("-t btrfsbackup-apt -p user.info -- pre-apt snapshot done")
            .And.Contain("-t btrfsbackup-apt -p user.info -- post-apt snapshot done")
            .And.Contain("--apt: the pairs with snapshot_on_apt = true: root."), "the program's output reaches the journal");
    }

    [Test]
    public void A_failing_snapshot_is_logged_and_still_exits_0()
    {
        var plain = Path.Combine(Sandbox.Filesystems[0].MountPoint, "plain");
        Directory.CreateDirectory(plain);
        var broken = new BackupPair("root", plain, Path.Combine(Sandbox.Filesystems[0].MountPoint, ".snapshots", "root"), null, null, null) { SnapshotOnApt = true };
        var config = ConfigFile.Write(Sandbox.Root, broken);

        var result = RunAsApt(Installed(HookLines().Pre), Environment(config));

        Assert.That(result.ExitCode, Is.Zero, "apt goes on");
        var said = $"the pre-apt snapshot failed (exit code 1); the package operation goes on. Error: 1 of 1 pair(s) failed: root at Scan: source {plain} is not a btrfs subvolume";
        Assert.That(result.StandardError, Does.StartWith($"btrfsbackup: {said} (only subvolumes can be snapshotted)."), "APT shows stderr");
        Assert.That(File.ReadAllText(Journal), Does.Contain($"-t btrfsbackup-apt -p user.err -- {said}"));
        Assert.That(Directory.Exists(broken.SnapshotDir), Is.False);
    }

    [Test]
    public void A_hang_is_cut_by_the_time_limit_and_logged_and_the_hook_exits_0()
    {
        var pidFile = Path.Combine(Sandbox.Root, "stub.pid");
        var stub = Path.Combine(Sandbox.Root, "hanging-btrfsbackup");
        File.WriteAllText(stub, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 600\n");
        File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = Environment(Path.Combine(Sandbox.Root, "unused.toml"));
        environment["BTRFSBACKUP_PROGRAM"] = stub;
        environment["BTRFSBACKUP_APT_TIMEOUT"] = "0.2";

        var result = RunAsApt(Installed(HookLines().Post), environment);

        Assert.That(result.ExitCode, Is.Zero);
        var said = "the post-apt snapshot was stopped after 0.2 seconds (BTRFSBACKUP_APT_TIMEOUT); the package operation goes on";
        Assert.That(result.StandardError, Is.EqualTo($"btrfsbackup: {said}\n"));
        Assert.That(File.ReadAllText(Journal), Does.Contain($"-t btrfsbackup-apt -p user.err -- {said}"));
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the hanging program was killed, not left behind");
    }

    [Test]
    public void A_missing_program_is_logged_and_the_hook_exits_0()
    {
        var environment = Environment(Path.Combine(Sandbox.Root, "unused.toml"));
        environment["BTRFSBACKUP_PROGRAM"] = Path.Combine(Sandbox.Root, "no-such-program");

        var result = RunAsApt(Installed(HookLines().Pre), environment);

        Assert.That(result.ExitCode, Is.Zero);
        Assert.That(result.StandardError, Is.EqualTo($"btrfsbackup: no pre-apt snapshot: {Sandbox.Root}/no-such-program is not an executable (set BTRFSBACKUP_PROGRAM); the package operation goes on\n"));
    }

    [Test]
    public void The_script_passes_shellcheck()
    {
        if (Shell.TryRun("sh", "-c", "command -v shellcheck").ExitCode != 0)
        {
            Assert.Ignore("shellcheck is not installed here");
        }

        var result = Shell.TryRun("shellcheck", Path.Combine(AptFolder, "btrfsbackup-apt-snapshot"));

        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput);
    }

    // APT's own reading of the snippet: apt-config loads it after the system's configuration and prints every list entry.
    private static (string Pre, string Post) HookLines()
    {
        if (Shell.TryRun("sh", "-c", "command -v apt-config").ExitCode != 0)
        {
            Assert.Ignore("apt-config (APT) is not installed here");
        }

        var dump = Shell.Run("apt-config", "-c", Path.Combine(AptFolder, "80btrfsbackup"), "dump");
        string Line(string list)
        {
            var ours = dump.Split('\n').Where(line => line.StartsWith($"{list}:: ", StringComparison.Ordinal) && line.Contains("btrfsbackup", StringComparison.Ordinal)).ToList();
            Assert.That(ours, Has.Count.EqualTo(1), dump);
            // LIST:: "VALUE";
            return ours[0][(list.Length + 4)..^2];
        }

        return (Line("DPkg::Pre-Invoke"), Line("DPkg::Post-Invoke"));
    }

    // The line as it runs once installed, with the checkout's script standing at the installed place.
    private static string Installed(string line) => line.Replace(InstalledScript, Path.Combine(AptFolder, "btrfsbackup-apt-snapshot"), StringComparison.Ordinal);

    private Dictionary<string, string?> Environment(string config)
    {
        var bin = Path.Combine(Sandbox.Root, "bin");
        Directory.CreateDirectory(bin);
        var logger = Path.Combine(bin, "logger");
        // Records its arguments, then each line of its standard input when it has no message argument.
        File.WriteAllText(logger, $"#!/bin/sh\necho \"$*\" >> '{Journal}'\ncase \"$*\" in *' -- '*) ;; *) cat >> '{Journal}' ;; esac\n");
        File.SetUnixFileMode(logger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string?>(Sandbox.ChildEnvironment)
        {
            ["PATH"] = $"{bin}:{System.Environment.GetEnvironmentVariable("PATH")}",
            ["BTRFSBACKUP_PROGRAM"] = CakeCli.BuiltProgramPath,
            ["BTRFSBACKUP_CONFIG"] = config,
        };
    }

    private static BufferedCommandResult RunAsApt(string line, IReadOnlyDictionary<string, string?> environment) =>
        Cli.Wrap("/bin/sh")
            .WithArguments(["-c", line])
            .WithWorkingDirectory("/tmp")
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .GetAwaiter()
            .GetResult();
}
