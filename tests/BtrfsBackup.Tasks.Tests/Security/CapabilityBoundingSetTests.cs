using System.Text.RegularExpressions;
using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Security;

/// <summary>
/// The shipped systemd unit's CapabilityBoundingSet and NoNewPrivileges, applied the way systemd
/// applies them (<c>setpriv</c>: bounding set, no inheritable capabilities, no new privileges; systemd
/// is not PID 1 on every test machine): two nights, a purge and a verify of a source holding what
/// receive needs privileges for (files of another user in a private folder, setuid and setgid
/// files, a device node, a file capability) all succeed; and without CAP_FSETID, the backup loses
/// the setuid bit, which verify reports: the set is needed, not only enough.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed partial class CapabilityBoundingSetTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private BackupPair home = null!;
    private string config = null!;

    [SetUp]
    public void SourceWithWhatOnlyRootCanReceive()
    {
        foreach (var tool in new[] { "setpriv", "setcap" })
        {
            if (Shell.TryRun("sh", "-c", $"command -v {tool}").ExitCode != 0)
            {
                Assert.Ignore($"{tool} is not installed here");
            }
        }

        home = PairLayout.Create(Sandbox) with { SourceRetention = new RetentionPolicy(0, 1), TargetRetention = new RetentionPolicy(0, 1) };
        var alice = Directory.CreateDirectory(Path.Combine(home.Source, "alice", "private")).FullName;
        File.WriteAllText(Path.Combine(alice, "diary"), "dear diary\n");
        File.SetUnixFileMode(Path.Combine(alice, "diary"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(alice, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy("/bin/true", Path.Combine(home.Source, "setuid"));
        File.Copy("/bin/true", Path.Combine(home.Source, "alice", "setgid"));
        Shell.Run("chown", "-R", "nobody:nogroup", Path.Combine(home.Source, "alice"));
        Shell.Run("chmod", "4755", Path.Combine(home.Source, "setuid"));
        Shell.Run("chmod", "2755", Path.Combine(home.Source, "alice", "setgid"));
        Shell.Run("mknod", Path.Combine(home.Source, "null"), "c", "1", "3");
        File.Copy("/bin/true", Path.Combine(home.Source, "pinger"));
        Shell.Run("setcap", "cap_net_raw+ep", Path.Combine(home.Source, "pinger"));
        config = ConfigFile.Write(Sandbox.Root, home);
    }

    [Test]
    public void Two_nights_a_purge_and_a_verify_succeed_within_the_units_capabilities()
    {
        var capabilities = UnitCapabilities();

        var first = Bounded(capabilities, FirstNight, "nightly");
        ChangeTheSetuidAndSetgidFiles();
        var second = Bounded(capabilities, FirstNight.AddDays(1), "nightly");
        var verify = Bounded(capabilities, FirstNight.AddDays(1), "verify");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Contain("(incremental from 2026-11-30T03:00:00+00:00)"), second.ToString());
        Assert.That(second.Output, Does.Contain("deleted   "), "the purge deleted the first night's snapshot and backup: " + second);
        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        var backup = Path.Combine(home.Target!, "2026-12-01T03:00:00+00:00");
        Assert.That(Shell.Run("stat", "-c", "%A %U", Path.Combine(backup, "setuid")).Trim(), Is.EqualTo("-rwsr-xr-x root"));
        Assert.That(Shell.Run("stat", "-c", "%A %U %G", Path.Combine(backup, "alice", "setgid")).Trim(), Is.EqualTo("-rwxr-sr-x nobody nogroup"));
        Assert.That(Shell.Run("getcap", Path.Combine(backup, "pinger")), Does.Contain("cap_net_raw=ep"));
    }

    [Test]
    public void Without_CAP_FSETID_an_incremental_backup_loses_the_setuid_bit_and_verify_says_so()
    {
        var capabilities = UnitCapabilities().Where(capability => capability != "fsetid").ToList();

        var first = Bounded(capabilities, FirstNight, "nightly");
        ChangeTheSetuidAndSetgidFiles();
        var second = Bounded(capabilities, FirstNight.AddDays(1), "nightly");
        var verify = Bounded(capabilities, FirstNight.AddDays(1), "verify");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, "the send itself succeeds: " + second);
        Assert.That(verify.ExitCode, Is.EqualTo(4), verify.ToString());
        Assert.That(Shell.Run("stat", "-c", "%A", Path.Combine(home.Target!, "2026-12-01T03:00:00+00:00", "setuid")).Trim(), Is.EqualTo("-rwxr-xr-x"));
    }

    // Written to, as an upgrade would: the kernel clears setuid and setgid on a write without CAP_FSETID, and the stream carries no chmod when the mode did not change.
    private void ChangeTheSetuidAndSetgidFiles()
    {
        File.AppendAllText(Path.Combine(home.Source, "setuid"), "x");
        Shell.Run("chmod", "4755", Path.Combine(home.Source, "setuid"));
        File.AppendAllText(Path.Combine(home.Source, "alice", "setgid"), "x");
        Shell.Run("chmod", "2755", Path.Combine(home.Source, "alice", "setgid"));
    }

    // "CapabilityBoundingSet=CAP_SYS_ADMIN CAP_DAC_OVERRIDE ..." in the shipped unit, as setpriv's names.
    private static List<string> UnitCapabilities()
    {
        var unit = File.ReadAllText(Path.Combine(CakeCli.RepositoryRoot, "contrib", "systemd", "btrfsbackup-nightly.service"));
        var line = BoundingSetLine().Match(unit);
        Assert.That(line.Success, Is.True, "the unit sets CapabilityBoundingSet=");
        return [.. line.Groups["set"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(name => name["CAP_".Length..].ToLowerInvariant())];
    }

    private CakeResult Bounded(IEnumerable<string> capabilities, DateTimeOffset instant, string target)
    {
        var bounding = "-all," + string.Join(",", capabilities.Select(capability => "+" + capability));
        var result = Cli.Wrap("setpriv")
            .WithArguments(["--no-new-privs", "--inh-caps=-all", $"--bounding-set={bounding}", "--", CakeCli.BuiltProgramPath, target, $"--config={config}"])
            .WithWorkingDirectory(CakeCli.RepositoryRoot)
            .WithEnvironmentVariables(new Dictionary<string, string?>(FakeClock.Environment(Sandbox, instant, "UTC")) { ["NO_COLOR"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .GetAwaiter()
            .GetResult();
        return new CakeResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    [GeneratedRegex("^CapabilityBoundingSet=(?<set>.+)$", RegexOptions.Multiline)]
    private static partial Regex BoundingSetLine();
}
