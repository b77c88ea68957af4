using BtrfsBackup.Tests.Support;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Contrib;

/// <summary>
/// contrib/install.sh and contrib/uninstall.sh into a temporary root (DESTDIR): the published program,
/// its link on the PATH, the example configuration (never replaced), the systemd units; the installed
/// command runs a nightly on loop devices; uninstall leaves only the configuration.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class InstallTests : RealBtrfsFixture
{
    private const string ConfigPath = "etc/btrfsbackup/backup_config.toml";
    private string destDir = null!;

    [SetUp]
    public void MakeAnEmptyRoot() => destDir = Directory.CreateTempSubdirectory("btrfsbackup-destdir-").FullName;

    [TearDown]
    public void RemoveTheRoot() => Directory.Delete(destDir, recursive: true);

    [Test]
    public async Task Install_runs_a_nightly_from_the_installed_command_keeps_an_edited_config_and_uninstall_leaves_only_the_config()
    {
        var install = await ContribAsync("install.sh");
        Assert.That(install.ExitCode, Is.Zero, install.StandardOutput + install.StandardError);

        var link = new FileInfo(InRoot("usr/local/bin/btrfsbackup"));
        Assert.That(link.LinkTarget, Is.EqualTo("../lib/btrfsbackup/btrfsbackup"), "a relative link, so it works under any DESTDIR");
        Assert.That(File.Exists(InRoot("usr/local/lib/btrfsbackup/btrfsbackup.dll")), Is.True);
        Assert.That(File.ReadAllText(InRoot(ConfigPath)), Is.EqualTo(File.ReadAllText(Path.Combine(CakeCli.RepositoryRoot, "backup_config.toml"))));
        var service = File.ReadAllText(InRoot("usr/local/lib/systemd/system/btrfsbackup-nightly.service"));
        Assert.That(service, Does.Contain("ExecStart=/usr/local/bin/btrfsbackup nightly"));
        Assert.That(File.Exists(InRoot("usr/local/lib/systemd/system/btrfsbackup-nightly.timer")), Is.True);

        // The installed command, through its link, on the sandbox's filesystems.
        var home = PairLayout.Create(Sandbox, "home");
        var config = ConfigFile.Write(Sandbox.Root, home);
        var nightly = await Cli.Wrap(link.FullName).WithArguments(["nightly"])
            .WithEnvironmentVariables(new Dictionary<string, string?>(Sandbox.ChildEnvironment) { ["BTRFSBACKUP_CONFIG"] = config })
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.That(nightly.ExitCode, Is.Zero, nightly.StandardOutput + nightly.StandardError);
        Assert.That(nightly.StandardOutput, Does.Contain("home: succeeded").And.Not.Contain("\u001b["), "succeeded, and no colour into a pipe");
        var after = await Scans.OfAsync(home);
        Assert.That(after.SnapshotDir.Snapshots, Has.Count.EqualTo(1));
        Assert.That(after.Target!.Snapshots, Has.Count.EqualTo(1));

        VerifyInstalledUnits();

        // The configuration is the user's: a second install keeps the edited file.
        File.AppendAllText(InRoot(ConfigPath), "# edited by the user\n");
        var edited = File.ReadAllText(InRoot(ConfigPath));
        var again = await ContribAsync("install.sh");
        Assert.That(again.ExitCode, Is.Zero, again.StandardOutput + again.StandardError);
        Assert.That(again.StandardOutput, Does.Contain("Kept the configuration already at /etc/btrfsbackup/backup_config.toml."));
        Assert.That(File.ReadAllText(InRoot(ConfigPath)), Is.EqualTo(edited));

        var uninstall = await ContribAsync("uninstall.sh");
        Assert.That(uninstall.ExitCode, Is.Zero, uninstall.StandardOutput + uninstall.StandardError);
        var left = Directory.EnumerateFileSystemEntries(destDir, "*", SearchOption.AllDirectories)
            .Where(entry => !Directory.Exists(entry) || new FileInfo(entry).LinkTarget is not null)
            .Select(entry => Path.GetRelativePath(destDir, entry))
            .ToList();
        Assert.That(left, Is.EqualTo(new[] { ConfigPath }), "only the configuration is left");
        Assert.That(File.ReadAllText(InRoot(ConfigPath)), Is.EqualTo(edited));
        Assert.That(Directory.Exists(InRoot("usr/local/lib/btrfsbackup")), Is.False, "the program's folder is gone");
    }

    // The installed units as systemd would see them at /usr/local: the DESTDIR's usr/local bound over
    // /usr/local in a mount namespace of the check's own, which no one else sees and which ends with it.
    private void VerifyInstalledUnits()
    {
        if (Shell.TryRun("sh", "-c", "command -v systemd-analyze && command -v unshare").ExitCode != 0)
        {
            Assert.Warn("systemd-analyze or unshare is not installed here: the installed units were not verified");
            return;
        }

        var units = "/usr/local/lib/systemd/system/btrfsbackup-nightly.service /usr/local/lib/systemd/system/btrfsbackup-nightly.timer";
        var verify = Shell.TryRun("unshare", "-m", "--propagation", "private", "sh", "-c",
            $"mount --bind {BtrfsBackup.Btrfs.ShellQuoting.Quote(InRoot("usr/local"))} /usr/local && systemd-analyze verify {units}");
        Assert.That(verify.ExitCode, Is.Zero, verify.StandardOutput + verify.StandardError);
        Assert.That(verify.StandardError, Does.Not.Contain("btrfsbackup"), "no warnings about the installed units");
    }

    [Test]
    public async Task Uninstall_leaves_a_command_put_in_place_of_its_link_and_anything_a_list_entry_climbs_out_to()
    {
        // A list as a previous install wrote it, then edited: a "..", and the link replaced by an admin's own program.
        Directory.CreateDirectory(InRoot("usr/local/lib/btrfsbackup"));
        Directory.CreateDirectory(InRoot("usr/local/bin"));
        File.WriteAllText(InRoot("usr/local/bin/btrfsbackup"), "#!/bin/sh\n");
        Directory.CreateDirectory(InRoot("etc/btrfsbackup"));
        File.WriteAllText(InRoot("etc/btrfsbackup/keep"), "not the tool's\n");
        File.WriteAllLines(InRoot("usr/local/lib/btrfsbackup/installed-files"), ["/usr/local/bin/btrfsbackup", "/usr/local/lib/btrfsbackup/../../../../etc/btrfsbackup/keep"]);

        var uninstall = await ContribAsync("uninstall.sh");

        Assert.That(uninstall.ExitCode, Is.Zero, uninstall.StandardError);
        Assert.That(File.ReadAllText(InRoot("usr/local/bin/btrfsbackup")), Is.EqualTo("#!/bin/sh\n"), "not the link install.sh made");
        Assert.That(File.Exists(InRoot("etc/btrfsbackup/keep")), Is.True, "outside the places install.sh writes to");
        Assert.That(uninstall.StandardError, Does.Contain("no longer the link install.sh made").And.Contain("has a . or .. component"));
    }

    private string InRoot(string relative) => Path.Combine(destDir, relative);

    private Task<BufferedCommandResult> ContribAsync(string script) =>
        Cli.Wrap(Path.Combine(CakeCli.RepositoryRoot, "contrib", script))
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["DESTDIR"] = destDir })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task;
}
