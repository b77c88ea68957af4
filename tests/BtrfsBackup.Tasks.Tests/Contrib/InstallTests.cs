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
        // The first install and the uninstall as the README says them, ./build.sh --target=...; the second through the script itself.
        var install = await BuildTargetAsync("Install");
        Assert.That(install.ExitCode, Is.Zero, install.StandardOutput + install.StandardError);
        Assert.That(install.StandardOutput, Does.Contain("Installed btrfsbackup ("), "build.sh ran contrib/install.sh");

        var link = new FileInfo(InRoot("usr/local/bin/btrfsbackup"));
        Assert.That(link.LinkTarget, Is.EqualTo("../lib/btrfsbackup/btrfsbackup"), "a relative link, so it works under any DESTDIR");
        // Native code, one file: no runtime or assembly beside it, nothing compiled as it starts.
        Assert.That(Directory.GetFiles(InRoot("usr/local/lib/btrfsbackup")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "btrfsbackup", "README.md", "installed-files" }));
        Assert.That(File.ReadAllText(InRoot(ConfigPath)), Is.EqualTo(File.ReadAllText(Path.Combine(CakeCli.RepositoryRoot, "backup_config.toml"))));
        var service = File.ReadAllText(InRoot("usr/local/lib/systemd/system/btrfsbackup-nightly.service"));
        Assert.That(service, Does.Contain("ExecStart=/usr/local/bin/btrfsbackup nightly"));
        Assert.That(File.Exists(InRoot("usr/local/lib/systemd/system/btrfsbackup-nightly.timer")), Is.True);
        VerifyInstalledManPage();

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

        var uninstall = await BuildTargetAsync("Uninstall");
        Assert.That(uninstall.ExitCode, Is.Zero, uninstall.StandardOutput + uninstall.StandardError);
        Assert.That(uninstall.StandardOutput, Does.Contain("Removed "), "build.sh ran contrib/uninstall.sh");
        var left = Directory.EnumerateFileSystemEntries(destDir, "*", SearchOption.AllDirectories)
            .Where(entry => !Directory.Exists(entry) || new FileInfo(entry).LinkTarget is not null)
            .Select(entry => Path.GetRelativePath(destDir, entry))
            .ToList();
        Assert.That(left, Is.EqualTo(new[] { ConfigPath }), "only the configuration is left");
        Assert.That(File.ReadAllText(InRoot(ConfigPath)), Is.EqualTo(edited));
        Assert.That(Directory.Exists(InRoot("usr/local/lib/btrfsbackup")), Is.False, "the program's folder is gone");
    }

    // btrfsbackup(8) where man looks for it, rendered by man (and groff with every warning on) without a
    // complaint, naming every target and argument the installed command's --help lists.
    private void VerifyInstalledManPage()
    {
        var page = InRoot("usr/local/share/man/man8/btrfsbackup.8");
        Assert.That(File.Exists(page), Is.True, "the man page is installed");
        var man = Shell.TryRun("man", "--warnings", "-l", page);
        Assert.That((man.ExitCode, man.StandardError), Is.EqualTo((0, string.Empty)), "man -l renders it without warnings");
        var groff = Shell.TryRun("groff", "-man", "-Tutf8", "-ww", "-z", page);
        Assert.That((groff.ExitCode, groff.StandardError), Is.EqualTo((0, string.Empty)), "groff -ww finds nothing to warn about");
        Assert.That(Shell.TryRun("lexgrog", page).StandardOutput, Does.Contain("\"btrfsbackup - "), "a NAME line whatis and apropos can index");

        var help = Shell.TryRun(InRoot("usr/local/bin/btrfsbackup"), "--help").StandardOutput;
        var names = help.Split('\n').Where(line => line.Length > 2 && line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ')
            .Select(line => line.Trim().Split(' ')[0]).ToList();
        Assert.That(names, Has.Count.GreaterThan(20).And.Contains("nightly").And.Contains("--lock-timeout=S"));
        Assert.That(names, Is.All.Matches<string>(name => man.StandardOutput.Contains(name!, StringComparison.Ordinal)),
            "every target and argument of --help is in the man page");
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

    // ./build.sh --target=Install|Uninstall (build/build.cake keeps no script cache, so it shares nothing with other runs).
    private Task<BufferedCommandResult> BuildTargetAsync(string target) =>
        Cli.Wrap(Path.Combine(CakeCli.RepositoryRoot, "build.sh"))
            .WithArguments([$"--target={target}"])
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["DESTDIR"] = destDir, ["NO_COLOR"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task;

    private Task<BufferedCommandResult> ContribAsync(string script) =>
        Cli.Wrap(Path.Combine(CakeCli.RepositoryRoot, "contrib", script))
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["DESTDIR"] = destDir })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task;
}
