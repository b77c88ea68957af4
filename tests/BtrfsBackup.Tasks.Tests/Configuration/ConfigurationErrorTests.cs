using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

/// <summary>
/// Each <c>Reference/config-errors/NAME.toml</c> is a bad configuration; <c>NAME.expected</c> holds
/// the one-line error it must produce, with the file written as its bare name.
/// </summary>
[TestFixture]
public sealed class ConfigurationErrorTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Reference", "config-errors");

    public static IEnumerable<TestCaseData> BadConfigurations() =>
        Directory.EnumerateFiles(Folder, "*.toml")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetName($"Config_error_{Path.GetFileNameWithoutExtension(path)}"));

    [TestCaseSource(nameof(BadConfigurations))]
    public void Bad_configuration_fails_with_the_expected_message(string fileName)
    {
        var fullPath = Path.Combine(Folder, fileName);
        var expectedPath = Path.ChangeExtension(fullPath, ".expected");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(fullPath));
        var actual = error.Message.Replace(fullPath, fileName, StringComparison.Ordinal);

        Assert.That(File.Exists(expectedPath), Is.True, $"{Path.GetFileName(expectedPath)} is missing; the loader said:\n{actual}");
        var expected = File.ReadAllText(expectedPath);
        expected = expected.EndsWith('\n') ? expected[..^1] : expected;
        Assert.That(expected, Does.Not.Contain('\n'), "an .expected file holds exactly one line");
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(error.File, Is.EqualTo(fullPath));
        Assert.That(actual, Does.StartWith($"{fileName}:{error.Line}:{error.Column}: {error.Problem}"));
    }

    [Test]
    public void Every_reference_case_has_both_files()
    {
        var configs = Directory.EnumerateFiles(Folder, "*.toml").Select(Path.GetFileNameWithoutExtension);
        var expectations = Directory.EnumerateFiles(Folder, "*.expected").Select(Path.GetFileNameWithoutExtension);

        Assert.That(configs, Is.EquivalentTo(expectations));
        Assert.That(configs.Count(), Is.GreaterThanOrEqualTo(24));
    }

    [Test]
    public void A_missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(Folder, "no-such-config.toml");

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path));

        Assert.That(error.Message, Does.StartWith($"{path}:1:1: cannot read the configuration file: "));
    }

    [Test]
    public void Parse_names_the_file_it_is_given()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse("[pairs.home]\nsource = \"/home\"\n", "custom.toml"));

        Assert.That(error.Message, Is.EqualTo("custom.toml:1:2: missing required key 'snapshot_dir' in [pairs.home]"));
        Assert.That((error.File, error.Line, error.Column), Is.EqualTo(("custom.toml", 1, 2)));
        Assert.That(error.Problem, Is.EqualTo("missing required key 'snapshot_dir' in [pairs.home]"));
    }

    [Test]
    public void A_type_error_inside_a_pair_defined_inline_points_at_its_key()
    {
        const string Text = "[pairs]\nhome = { source = \"/home\", snapshot_dir = 7 }\n";

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(Text, "inline.toml"));

        Assert.That(error.Message, Is.EqualTo("inline.toml:2:28: pairs.home.snapshot_dir: expected a string, found an integer"));
    }
}
