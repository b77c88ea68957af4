using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Contrib;

/// <summary>contrib/systemd: the service and timer pass `systemd-analyze verify` and run the installed program's nightly target (InstallTests verifies them as installed).</summary>
[TestFixture]
public sealed class SystemdUnitTests
{
    private static readonly string UnitFolder = Path.Combine(CakeCli.RepositoryRoot, "contrib", "systemd");

    [Test]
    public void The_service_and_timer_pass_systemd_analyze_verify()
    {
        RequireSystemdAnalyze();
        // The service runs the installed program, which this machine need not have: a stand-in at
        // /usr/local/bin/btrfsbackup, in a mount namespace of the check's own that no one else sees.
        var local = Directory.CreateTempSubdirectory("btrfsbackup-usr-local-").FullName;
        try
        {
            var program = Path.Combine(Directory.CreateDirectory(Path.Combine(local, "bin")).FullName, "btrfsbackup");
            File.WriteAllText(program, "#!/bin/sh\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var result = Shell.TryRun("unshare", "-m", "--propagation", "private", "sh", "-c",
                $"mount --bind {local} /usr/local && systemd-analyze verify {Unit("service")} {Unit("timer")}");

            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardError, Does.Not.Contain("btrfsbackup"), "no warnings about our units");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Test]
    public void Verify_catches_a_broken_unit_so_the_check_above_means_something()
    {
        RequireSystemdAnalyze();
        var folder = Directory.CreateTempSubdirectory("btrfsbackup-units-").FullName;
        try
        {
            var broken = Path.Combine(folder, "btrfsbackup-nightly.service");
            File.WriteAllText(broken, File.ReadAllText(Unit("service")).Replace("ExecStart=/usr/local/bin/btrfsbackup", "ExecStart=btrfsbackup-not-absolute", StringComparison.Ordinal));

            var result = Shell.TryRun("systemd-analyze", "verify", broken);

            Assert.That(result.ExitCode, Is.Not.Zero);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void The_service_runs_the_nightly_target_and_the_timer_starts_it_every_night()
    {
        var service = File.ReadAllText(Unit("service"));
        var timer = File.ReadAllText(Unit("timer"));

        Assert.That(service, Does.Contain("ExecStart=/usr/local/bin/btrfsbackup nightly --lock-timeout=300"));
        Assert.That(service, Does.Contain("Type=oneshot"));
        Assert.That(timer, Does.Contain("OnCalendar=*-*-* 03:00:00").And.Contain("Persistent=true").And.Contain("WantedBy=timers.target"));
    }

    private static string Unit(string kind) => Path.Combine(UnitFolder, $"btrfsbackup-nightly.{kind}");

    private static void RequireSystemdAnalyze()
    {
        if (Shell.TryRun("sh", "-c", "command -v systemd-analyze").ExitCode != 0)
        {
            Assert.Ignore("systemd-analyze is not installed here");
        }
    }
}
