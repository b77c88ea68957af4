using BtrfsBackup.Linux;
using BtrfsBackup.Locking;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Security;

/// <summary>
/// Both hosts, as root, refuse to run with a configuration, recipe folder, library or script cache
/// that another user owns or may write, before anything is touched (the run's runtime directory is
/// not even made), exit code 1; and a symlink planted where a lock file goes stops the run, its
/// target unchanged. What is changed is a copy in the test's own sandbox, never the checkout.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class StrictModesEndToEndTests
{
    private string sandbox = null!;
    private string config = null!;
    private Dictionary<string, string?> environment = null!;

    private string RuntimeRoot => Path.Combine(sandbox, "run");

    [SetUp]
    public void SandboxWithAConfiguration()
    {
        Assume.That(StrictModes.Applies, "the checks apply to runs as root");
        sandbox = Directory.CreateTempSubdirectory("btrfsbackup-test-strict-e2e-").FullName;
        Directory.CreateDirectory(Path.Combine(sandbox, "snaps"));
        config = Path.Combine(sandbox, "backup_config.toml");
        File.WriteAllText(config, $"[pairs.home]\nsource = \"{sandbox}/no-source\"\nsnapshot_dir = \"{sandbox}/snaps\"\n");
        environment = new Dictionary<string, string?>
        {
            [RuntimeDirectory.EnvironmentVariable] = RuntimeRoot,
            [BtrfsBackup.Configuration.RunSettings.StateDirectoryVariable] = Path.Combine(sandbox, "state"),
        };
    }

    [TearDown]
    public void RemoveSandbox() => Directory.Delete(sandbox, recursive: true);

    [Test]
    public void The_program_refuses_a_configuration_writable_by_its_group()
    {
        File.SetUnixFileMode(config, File.GetUnixFileMode(config) | UnixFileMode.GroupWrite);

        var result = CakeCli.RunProgram(environment, ["list", $"--config={config}"]);

        AssertRefused(result, $"Error: refusing to run as root: the configuration file {config} is owned by root, mode 0664 (writable by its group): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {config}");
    }

    [Test]
    public void The_program_refuses_itself_when_others_may_write_it()
    {
        // Native code, one file: the library is compiled into the program, which is checked with its folder.
        var program = Directory.CreateDirectory(Path.Combine(sandbox, "program")).FullName;
        Shell.Run("cp", "-a", Path.GetDirectoryName(CakeCli.BuiltProgramPath) + "/.", program);
        var library = Path.Combine(program, "btrfsbackup");
        File.SetUnixFileMode(library, File.GetUnixFileMode(library) | UnixFileMode.OtherWrite);

        var result = Shell.TryRun("env", $"{RuntimeDirectory.EnvironmentVariable}={RuntimeRoot}", $"{BtrfsBackup.Configuration.RunSettings.StateDirectoryVariable}={Path.Combine(sandbox, "state")}", "NO_COLOR=1", Path.Combine(program, "btrfsbackup"), "list", $"--config={config}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.StandardOutput + result.StandardError);
        Assert.That(result.StandardOutput + result.StandardError, Does.Contain(
            $"Error: refusing to run as root: the program's folder {library} is owned by root, mode 0757 (writable by others): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {library}"));
        Assert.That(Directory.Exists(RuntimeRoot), Is.False, "nothing touched: not even the runtime directory made");
    }

    [Test]
    public void Dotnet_cake_refuses_a_recipe_folder_writable_by_its_group()
    {
        var checkout = CopyOfTheScriptsAndLibrary();
        var recipes = Path.Combine(checkout, "recipes");
        File.SetUnixFileMode(recipes, File.GetUnixFileMode(recipes) | UnixFileMode.GroupWrite);

        var result = CakeCli.RunIn(checkout, "build.cake", environment, "--target=list", $"--config={config}");

        var script = Path.Combine(recipes, "btrfs-backup.cake");
        AssertRefused(result, $"Error: refusing to run as root: {recipes}, a folder above the Cake script {script}, is owned by root, mode 0775 (writable by its group): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {recipes}, " +
            $"or keep {script} where every folder above it is root's alone (as /opt or /etc are)");
    }

    [Test]
    public void Dotnet_cake_refuses_a_script_cache_writable_by_others()
    {
        var checkout = CopyOfTheScriptsAndLibrary();
        var cache = Directory.CreateDirectory(Path.Combine(checkout, "tools", "cache")).FullName;
        File.SetUnixFileMode(cache, (UnixFileMode)Convert.ToInt32("777", 8));

        var result = CakeCli.RunIn(checkout, "build.cake", environment, "--target=list", $"--config={config}");

        AssertRefused(result, $"Error: refusing to run as root: Cake's tools folder (the script cache) {cache} is owned by root, mode 0777 (writable by its group and others): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {cache}");
    }

    [Test]
    public void Dotnet_cake_refuses_a_configuration_of_another_user_with_exit_code_1()
    {
        Shell.Run("chown", "nobody", config);

        var result = CakeCli.Run(environment, "--target=list", $"--config={config}");

        AssertRefused(result, $"Error: refusing to run as root: the configuration file {config} is owned by nobody (uid 65534), mode 0644: " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chown root {config}");
    }

    [Test]
    public void A_symlink_planted_where_the_pairs_lock_file_goes_stops_the_run_and_its_target_is_unchanged()
    {
        var locks = new FileLocks(new RuntimeDirectory(RuntimeRoot));
        var lockFile = locks.PathFor(Path.Combine(sandbox, "snaps"));
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(RuntimeRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var victim = Path.Combine(sandbox, "etc-shadow-stand-in");
        File.WriteAllText(victim, "root:$y$...:20000:0:99999:7:::\n");
        File.CreateSymbolicLink(lockFile, victim);

        var result = CakeCli.RunProgram(environment, ["list", $"--config={config}"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain($"home at Scan: the lock file {lockFile} is a symlink; refusing to use it (remove it: only the tool makes files there)"), result.ToString());
        Assert.That(File.ReadAllText(victim), Is.EqualTo("root:$y$...:20000:0:99999:7:::\n"), "the file the link points at is neither truncated nor written");
    }

    private void AssertRefused(CakeResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain(message), result.ToString());
        Assert.That(Directory.Exists(RuntimeRoot), Is.False, "nothing touched: not even the runtime directory made");
    }

    // What `dotnet cake build.cake` reads, laid out as in the checkout: the scripts, cake.config, the tool manifest and the built library.
    private string CopyOfTheScriptsAndLibrary()
    {
        _ = CakeCli.BuiltProgramPath;
        var library = Path.Combine(CakeCli.RepositoryRoot, "src", "BtrfsBackup.Tasks", "bin", "Release", "net10.0");
        var checkout = Directory.CreateDirectory(Path.Combine(sandbox, "checkout")).FullName;
        foreach (var part in new[] { "build.cake", "cake.config", ".config", "recipes" })
        {
            Shell.Run("cp", "-a", Path.Combine(CakeCli.RepositoryRoot, part), checkout);
        }

        var libraryCopy = Directory.CreateDirectory(Path.Combine(checkout, "src", "BtrfsBackup.Tasks", "bin", "Release")).FullName;
        Shell.Run("cp", "-a", library, libraryCopy);
        return checkout;
    }
}
