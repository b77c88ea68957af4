using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// Bad command lines given to the btrfsbackup program (and a few to `dotnet cake`), as a user types them: each stops with its message and a
/// non-zero exit code, and touches nothing on either filesystem.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class CommandLineTests : RealBtrfsFixture
{
    private const string SuffixCharacters = "a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit";
    private BackupPair home = null!;
    private string config = null!;
    private string before = null!;

    [SetUp]
    public void CreateTwoPairs()
    {
        home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        config = ConfigFile.Write(Sandbox.Root, home, root);
        before = DiskState.Capture(Sandbox);
    }

    [TestCase("snapshot")]
    [TestCase("backup")]
    [TestCase("purge")]
    public void A_target_that_changes_pairs_needs_pair_or_all(string target)
    {
        var result = CakeWithConfig($"--target={target}");

        AssertRefused(result, "Error: Name the pairs to work on with --pair=NAME (repeatable or comma-separated) or --all. Configured pairs: home, root.");
    }

    [Test]
    public void Pair_without_a_value_is_a_clear_error()
    {
        var result = CakeWithConfig("--target=snapshot", "--pair");

        Assert.That(result.All, Does.Not.Contain("Object reference not set to an instance of an object"), result.ToString());
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(ErrorLine(result), Does.Contain("--pair"));
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    [Test]
    public void Pair_with_an_empty_value_is_refused_by_Cake_itself()
    {
        var result = ScriptWithConfig("--target=snapshot", "--pair=");

        AssertRefusedByCake(result, "Error: Expected an option value.");
    }

    [Test]
    public void An_unknown_pair_is_refused()
    {
        var result = CakeWithConfig("--target=snapshot", "--pair=nosuch");

        AssertRefused(result, $"Error: Unknown pair 'nosuch' in {config}. Configured pairs: home, root.");
    }

    [TestCase("--pair=home,nosuch", TestName = "One_good_and_one_unknown_pair_in_a_comma_list_is_refused_before_the_good_one_is_touched")]
    [TestCase("--pair=home", "--pair=nosuch", TestName = "One_good_and_one_unknown_pair_given_twice_is_refused_before_the_good_one_is_touched")]
    public void One_good_and_one_unknown_pair_is_refused_before_the_good_one_is_touched(params string[] pairs)
    {
        var result = CakeWithConfig(["--target=snapshot", .. pairs]);

        AssertRefused(result, $"Error: Unknown pair 'nosuch' in {config}. Configured pairs: home, root.");
    }

    [Test]
    public void An_unknown_pair_next_to_all_is_still_refused()
    {
        var result = CakeWithConfig("--target=snapshot", "--all", "--pair=nosuch");

        AssertRefused(result, $"Error: Unknown pair 'nosuch' in {config}. Configured pairs: home, root.");
    }

    [TestCase("a/b", SuffixCharacters, TestName = "Suffix_with_a_slash_is_refused")]
    [TestCase("..", SuffixCharacters, TestName = "Suffix_dot_dot_is_refused")]
    [TestCase("-x", SuffixCharacters, TestName = "Suffix_starting_with_a_dash_is_refused")]
    [TestCase(".x", SuffixCharacters, TestName = "Suffix_starting_with_a_dot_is_refused")]
    [TestCase("_x", SuffixCharacters, TestName = "Suffix_starting_with_an_underscore_is_refused")]
    [TestCase("pre upgrade", SuffixCharacters, TestName = "Suffix_with_a_space_is_refused")]
    [TestCase(" ", SuffixCharacters, TestName = "Suffix_of_a_single_space_is_refused")]
    [TestCase("pre\nupgrade", SuffixCharacters, TestName = "Suffix_with_a_newline_inside_is_refused")]
    [TestCase("pre-upgrade\n", SuffixCharacters, TestName = "Suffix_with_a_trailing_newline_is_refused")]
    [TestCase("café", SuffixCharacters, TestName = "Suffix_with_a_non_ASCII_letter_is_refused")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "the suffix is 65 characters long, at most 64 are allowed", TestName = "Suffix_of_65_characters_is_refused")]
    public void An_invalid_suffix_is_refused(string suffix, string problem)
    {
        var result = CakeWithConfig("--target=snapshot", "--pair=home", $"--suffix={suffix}");

        AssertRefused(result, $"Error: Invalid snapshot suffix '{suffix}': {problem}.");
    }

    [Test]
    public void An_unknown_verify_mode_is_refused()
    {
        var result = CakeWithConfig("verify", "--verify=full");

        AssertRefused(result, "Error: --verify must be metadata or content, not 'full'.");
    }

    [TestCase("--all")]
    [TestCase("--pair=home")]
    public void Apt_with_another_selection_is_refused(string selection)
    {
        var result = CakeWithConfig("snapshot", "--apt", selection, "--suffix=pre-apt");

        AssertRefused(result, "Error: --apt selects the pairs with snapshot_on_apt = true by itself: give it without --pair or --all. Nothing was touched.");
    }

    [Test]
    public void An_empty_suffix_is_refused_by_Cake_itself()
    {
        var result = ScriptWithConfig("--target=snapshot", "--pair=home", "--suffix=");

        AssertRefusedByCake(result, "Error: Expected an option value.");
    }

    [Test]
    public void Suffix_without_a_value_is_refused_as_an_empty_suffix()
    {
        var result = CakeWithConfig("--target=snapshot", "--pair=home", "--suffix");

        AssertRefused(result, "Error: Invalid snapshot suffix '': the suffix is empty.");
    }

    [Test]
    public void Config_naming_a_missing_file_is_refused_with_its_path()
    {
        var missing = Path.Combine(Sandbox.Root, "no-such.toml");

        var result = Cake("--target=snapshot", "--all", $"--config={missing}");

        AssertRefused(result, $"Error: {missing}:1:1: cannot read the configuration file: Could not find file '{missing}'.");
    }

    [Test]
    public void Config_naming_a_missing_relative_file_says_where_it_looked()
    {
        var result = Cake("--target=snapshot", "--all", "--config=no-such-bad-input.toml");
        var looked = Path.Combine(CakeCli.RepositoryRoot, "no-such-bad-input.toml");

        AssertRefused(result, $"Error: {looked}:1:1: cannot read the configuration file: Could not find file '{looked}'.");
    }

    [Test]
    public void Config_naming_a_directory_is_refused()
    {
        var result = Cake("--target=snapshot", "--all", $"--config={Sandbox.Root}");

        AssertRefused(result, $"Error: {Sandbox.Root}:1:1: the configuration file is a directory, not a regular file");
    }

    [Test]
    public void An_unknown_target_is_refused_by_Cake()
    {
        var result = ScriptWithConfig("--target=snapshots", "--all");

        AssertRefused(result, "Error: The target 'snapshots' was not found.");
    }

    [Test]
    public void An_unknown_target_is_refused_by_the_program_naming_the_targets()
    {
        var result = CakeWithConfig("snapshots", "--all");

        AssertRefused(result, "Error: Unknown target 'snapshots'. Targets: nightly, snapshot, backup, purge, list");
    }

    [Test]
    public void Pair_with_an_empty_value_is_refused_by_the_program()
    {
        var result = CakeWithConfig("snapshot", "--pair=");

        AssertRefused(result, "Error: --pair needs a value, as in --pair=NAME.");
    }

    // The btrfsbackup program; and dotnet cake, whose own parser refuses some inputs before the tasks see them.
    private CakeResult CakeWithConfig(params string[] arguments) => Cake([.. arguments, $"--config={config}"]);

    private CakeResult ScriptWithConfig(params string[] arguments) => CakeScript([.. arguments, $"--config={config}"]);

    private void AssertRefused(CakeResult result, string message)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain(message), result.ToString());
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    private void AssertRefusedByCake(CakeResult result, string message)
    {
        // Cake's own parser stops before the script runs, with exit code 255.
        Assert.That(result.ExitCode, Is.EqualTo(255), result.ToString());
        Assert.That(result.All, Does.Contain(message), result.ToString());
        Assert.That(DiskState.Capture(Sandbox), Is.EqualTo(before), "nothing is touched");
    }

    private static string ErrorLine(CakeResult result) =>
        result.All.Split('\n').LastOrDefault(line => line.StartsWith("Error: ", StringComparison.Ordinal)) ?? string.Empty;
}
