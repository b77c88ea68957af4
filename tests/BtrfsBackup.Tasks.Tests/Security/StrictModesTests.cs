using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Linux;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Security;

/// <summary>
/// sshd's strict modes, on real files in a sandbox of the test's own (as root): a file that steers a
/// run as root, and each folder above it, must be root's and writable by no one else; a sticky
/// folder of root's (as /tmp is) may stand above it. The repository's own files are never changed:
/// what a case needs is copied or made in the sandbox.
/// </summary>
[TestFixture]
public sealed class StrictModesTests
{
    private const string Nobody = "nobody";
    private string sandbox = null!;

    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [SetUp]
    public void SandboxOfItsOwn()
    {
        Assume.That(StrictModes.Applies, "the checks apply to runs as root");
        sandbox = Directory.CreateTempSubdirectory("btrfsbackup-test-strict-").FullName;
    }

    [TearDown]
    public void RemoveSandbox() => Directory.Delete(sandbox, recursive: true);

    [TestCase(UnixFileMode.GroupWrite, "writable by its group", TestName = "A_configuration_writable_by_its_group_is_refused")]
    [TestCase(UnixFileMode.OtherWrite, "writable by others", TestName = "A_configuration_writable_by_others_is_refused")]
    public void A_configuration_writable_by_group_or_others_is_refused(UnixFileMode extra, string writers)
    {
        var config = Config(Path.Combine(sandbox, "backup_config.toml"));
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | extra);

        var error = Assert.Throws<BackupException>(() => ConfigurationLoader.Load(config));

        var mode = extra == UnixFileMode.GroupWrite ? "0664" : "0646";
        Assert.That(error!.Message, Is.EqualTo(
            $"refusing to run as root: the configuration file {config} is owned by root, mode {mode} ({writers}): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {config}"));
    }

    [Test]
    public void A_configuration_owned_by_another_user_is_refused()
    {
        var config = Config(Path.Combine(sandbox, "backup_config.toml"));
        Shell.Run("chown", Nobody, config);

        var error = Assert.Throws<BackupException>(() => ConfigurationLoader.Load(config));

        Assert.That(error!.Message, Is.EqualTo(
            $"refusing to run as root: the configuration file {config} is owned by nobody (uid 65534), mode 0644: " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chown root {config}"));
    }

    [Test]
    public void A_folder_above_the_configuration_that_others_may_write_is_refused()
    {
        var folder = Directory.CreateDirectory(Path.Combine(sandbox, "shared", "btrfsbackup")).FullName;
        var config = Config(Path.Combine(folder, "backup_config.toml"));
        var shared = Path.Combine(sandbox, "shared");
        File.SetUnixFileMode(shared, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);

        var error = Assert.Throws<BackupException>(() => ConfigurationLoader.Load(config));

        Assert.That(error!.Message, Is.EqualTo(
            $"refusing to run as root: {shared}, a folder above the configuration file {config}, is owned by root, mode 0757 (writable by others): " +
            $"a user other than root could change what runs as root. Check what it holds, then run: chmod go-w {shared}, " +
            $"or keep {config} where every folder above it is root's alone (as /opt or /etc are)"));
    }

    [Test]
    public void A_folder_above_owned_by_another_user_is_refused_even_when_the_file_is_roots()
    {
        var home = Directory.CreateDirectory(Path.Combine(sandbox, "home-of-nobody")).FullName;
        var config = Config(Path.Combine(Directory.CreateDirectory(Path.Combine(home, "btrfsbackup")).FullName, "backup_config.toml"));
        Shell.Run("chown", Nobody, home);

        var error = Assert.Throws<BackupException>(() => new StrictModes().EnsurePath(config, "the configuration file"));

        Assert.That(error!.Message, Does.StartWith($"refusing to run as root: {home}, a folder above the configuration file {config}, is owned by nobody (uid 65534), mode 0755:"));
        Assert.That(error.Message, Does.Contain($"run: chown root {home}, or keep {config} where every folder above it is root's alone"));
    }

    [Test]
    public void A_sticky_folder_of_roots_above_it_is_accepted_as_tmp_is()
    {
        var sticky = Directory.CreateDirectory(Path.Combine(sandbox, "like-tmp")).FullName;
        File.SetUnixFileMode(sticky, UnixFileMode.StickyBit | Private | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var config = Config(Path.Combine(Directory.CreateDirectory(Path.Combine(sticky, "mine")).FullName, "backup_config.toml"));

        Assert.That(ConfigurationLoader.Load(config).Pairs.Select(pair => pair.Name), Is.EqualTo(new[] { "home" }));
    }

    [Test]
    public void A_sticky_folder_is_not_accepted_as_the_folder_itself_nor_when_another_user_owns_it()
    {
        var sticky = Directory.CreateDirectory(Path.Combine(sandbox, "like-tmp")).FullName;
        File.SetUnixFileMode(sticky, UnixFileMode.StickyBit | Private | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var config = Config(Path.Combine(Directory.CreateDirectory(Path.Combine(sticky, "mine")).FullName, "backup_config.toml"));

        // One run's checks: accepted above the configuration, the same folder is still refused as a folder of its own.
        var modes = new StrictModes();
        Assert.That(() => modes.EnsurePath(config, "the configuration file"), Throws.Nothing);
        Assert.That(() => modes.EnsureTree(sticky, "the library's folder"), Throws.TypeOf<BackupException>().With.Message.Contains($"the library's folder {sticky} is owned by root, mode 1707 (writable by others)"));
        Shell.Run("chown", Nobody, sticky);
        Assert.That(() => ConfigurationLoader.Load(config), Throws.TypeOf<BackupException>().With.Message.Contains($"{sticky}, a folder above the configuration file {config}, is owned by nobody (uid 65534), mode 1707 (writable by others)"));
    }

    [Test]
    public void A_configuration_reached_through_a_symlink_is_checked_as_the_link_and_as_what_it_points_at()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(sandbox, "elsewhere")).FullName;
        var real = Config(Path.Combine(elsewhere, "real.toml"));
        var link = Path.Combine(sandbox, "backup_config.toml");
        File.CreateSymbolicLink(link, real);
        Assert.That(() => ConfigurationLoader.Load(link), Throws.Nothing, "a link of root's to a file of root's");

        Shell.Run("chown", Nobody, elsewhere);
        Assert.That(() => ConfigurationLoader.Load(link), Throws.TypeOf<BackupException>().With.Message.StartsWith($"refusing to run as root: {elsewhere}, a folder above the configuration file {real}, is owned by nobody"));

        Shell.Run("chown", "root", elsewhere);
        Shell.Run("chown", "-h", Nobody, link);
        Assert.That(() => ConfigurationLoader.Load(link), Throws.TypeOf<BackupException>().With.Message.StartsWith($"refusing to run as root: the configuration file {link} is owned by nobody (uid 65534), mode 0777:"));
    }

    [Test]
    public void A_link_of_another_user_in_the_middle_of_a_chain_is_refused_though_both_ends_are_roots()
    {
        var real = Config(Path.Combine(sandbox, "real.toml"));
        var middle = Path.Combine(sandbox, "middle.toml");
        File.CreateSymbolicLink(middle, real);
        var link = Path.Combine(sandbox, "backup_config.toml");
        File.CreateSymbolicLink(link, middle);
        Assert.That(() => ConfigurationLoader.Load(link), Throws.Nothing, "a chain of root's links to a file of root's");

        // Its owner could point it anywhere between the check and the read.
        Shell.Run("chown", "-h", Nobody, middle);

        Assert.That(() => ConfigurationLoader.Load(link), Throws.TypeOf<BackupException>().With.Message.StartsWith($"refusing to run as root: the configuration file {middle} is owned by nobody (uid 65534), mode 0777:"));
    }

    [TestCase("BtrfsBackup.Tasks.dll", UnixFileMode.OtherWrite, "others", TestName = "A_library_writable_by_others_is_refused")]
    [TestCase("Tomlyn.dll", UnixFileMode.GroupWrite, "its group", TestName = "An_assembly_beside_the_library_writable_by_its_group_is_refused")]
    public void A_file_in_the_librarys_folder_that_others_may_write_is_refused(string file, UnixFileMode extra, string writers)
    {
        var library = CopyOfTheLibrary();
        var path = Path.Combine(library, file);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | extra);

        var error = Assert.Throws<BackupException>(() => new StrictModes().EnsureTree(library, "the library's folder"));

        var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
        Assert.That(error!.Message, Does.StartWith($"refusing to run as root: the library's folder {path} is owned by root, mode {mode} (writable by {writers}):"));
        Assert.That(error.Message, Does.EndWith($"run: chmod go-w {path}"));
    }

    [Test]
    public void The_scripts_a_cake_script_loads_are_found_for_checking()
    {
        Assert.That(RunInputs.ScriptsOf(Path.Combine(CakeCli.RepositoryRoot, "build.cake")), Is.EqualTo(new[]
        {
            Path.Combine(CakeCli.RepositoryRoot, "build.cake"),
            Path.Combine(CakeCli.RepositoryRoot, "recipes", "btrfs-backup.cake"),
            Path.Combine(CakeCli.RepositoryRoot, "src", "BtrfsBackup.Tasks", "bin", "Release", "net10.0", "BtrfsBackup.Tasks.cake"),
        }));
    }

    [Test]
    public void The_checkout_as_it_stands_passes()
    {
        var root = CakeCli.RepositoryRoot;
        var modes = new StrictModes();
        _ = CakeCli.BuiltProgramPath;

        Assert.Multiple(() =>
        {
            foreach (var script in RunInputs.ScriptsOf(Path.Combine(root, "build.cake")).Concat(Directory.EnumerateFiles(Path.Combine(root, "recipes"), "*.cake", SearchOption.AllDirectories)))
            {
                Assert.That(() => modes.EnsurePath(script, "the Cake script"), Throws.Nothing);
            }

            Assert.That(() => modes.EnsurePath(Path.Combine(root, "backup_config.toml"), "the configuration file"), Throws.Nothing);
            Assert.That(() => modes.EnsurePath(Path.Combine(root, "cake.config"), "Cake's settings file"), Throws.Nothing);
            Assert.That(() => modes.EnsureTree(Path.Combine(root, "tools"), "Cake's tools folder (the script cache)"), Throws.Nothing);
            Assert.That(() => modes.EnsureTree(Path.GetDirectoryName(CakeCli.BuiltProgramPath)!, "the library's folder"), Throws.Nothing);
            Assert.That(() => modes.EnsureTree(Path.Combine(root, "src", "BtrfsBackup.Tasks", "bin", "Release", "net10.0"), "the library's folder"), Throws.Nothing);
        });
    }

    [Test]
    public void A_clone_made_as_the_readme_says_passes_and_the_same_clone_owned_by_a_user_is_refused()
    {
        // README: `git clone <this repository> btrfsbackup` as root (umask 022), nothing else changes modes before ./build.sh.
        var clone = Path.Combine(sandbox, "btrfsbackup");
        Shell.Run("sh", "-c", $"umask 022 && git clone --quiet --no-hardlinks '{CakeCli.RepositoryRoot}' '{clone}'");

        Assert.That(() => new StrictModes().EnsureTree(clone, "the checkout"), Throws.Nothing);

        Shell.Run("chown", "-R", Nobody, clone);
        var config = Path.Combine(clone, "backup_config.toml");
        Assert.That(() => ConfigurationLoader.Load(config), Throws.TypeOf<BackupException>().With.Message.StartsWith(
            $"refusing to run as root: {clone}, a folder above the configuration file {config}, is owned by nobody (uid 65534), mode 0755:"));
    }

    [Test]
    public void Nothing_missing_is_refused_here_its_reader_says_so()
    {
        Assert.That(() => new StrictModes().EnsurePath(Path.Combine(sandbox, "no-such", "backup_config.toml"), "the configuration file"), Throws.Nothing);
    }

    private string CopyOfTheLibrary()
    {
        _ = CakeCli.BuiltProgramPath;
        var built = Path.Combine(CakeCli.RepositoryRoot, "src", "BtrfsBackup.Tasks", "bin", "Release", "net10.0");
        var copy = Directory.CreateDirectory(Path.Combine(sandbox, "library")).FullName;
        foreach (var file in Directory.EnumerateFiles(built))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private static string Config(string path)
    {
        File.WriteAllText(path, "[pairs.home]\nsource = \"/srv/home\"\nsnapshot_dir = \"/srv/.snapshots/home\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }
}
