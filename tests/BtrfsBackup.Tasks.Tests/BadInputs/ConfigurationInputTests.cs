using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// Configuration inputs that a one-line reference file cannot hold (a newline in a name), pair
/// selection by name, and odd spellings that are valid and must load as meant.
/// </summary>
[TestFixture]
public sealed class ConfigurationInputTests
{
    private const string Valid = "[pairs.home]\nsource = \"/home\"\nsnapshot_dir = \"/.snapshots/home\"\n";

    [Test]
    public void A_pair_name_ending_in_a_newline_is_refused()
    {
        const string Text = "[pairs.\"home\\n\"]\nsource = \"/home\"\nsnapshot_dir = \"/.snapshots/home\"\n";

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(Text, "newline.toml"));

        Assert.That(error.Message, Is.EqualTo("newline.toml:1:2: pair name 'home\n' is not allowed: use only letters, digits, '_' and '-'"));
    }

    [Test]
    public void Pair_names_are_matched_case_sensitively()
    {
        var configuration = ConfigurationLoader.Parse(Valid, "custom.toml");

        var error = Assert.Throws<BackupException>(() => configuration.Select(["HOME"]));

        Assert.That(error.Message, Is.EqualTo("Unknown pair 'HOME' in custom.toml. Configured pairs: home."));
    }

    [TestCase("source = \"//srv//data/\"", "/srv/data", TestName = "Valid_path_with_doubled_and_trailing_slashes_is_normalized")]
    [TestCase("source = '/srv/back\\slash'", "/srv/back\\slash", TestName = "Valid_literal_string_path_keeps_its_backslash")]
    [TestCase("source = \"/srv/caf\\u00e9 \\\"quoted\\\" 'single'\"", "/srv/café \"quoted\" 'single'", TestName = "Valid_path_with_escaped_unicode_and_quotes_is_read_as_written")]
    public void Odd_but_valid_source_spellings_load_as_meant(string sourceLine, string expected)
    {
        var configuration = ConfigurationLoader.Parse($"[pairs.data]\n{sourceLine}\nsnapshot_dir = \"/.snapshots/data\"\n", "odd.toml");

        Assert.That(configuration.Pairs.Single().Source, Is.EqualTo(expected));
    }

    [Test]
    public void Valid_hexadecimal_and_underscored_integers_and_an_unusual_pair_name_are_accepted()
    {
        const string Text = "[pairs.2nd_home-Disk]\nsource = \"/home\"\nsnapshot_dir = \"/.snapshots/home\"\n" +
            "source_retention = { keep_days = 1_000, keep_count = 0x10 }\n";

        var pair = ConfigurationLoader.Parse(Text, "odd.toml").Pairs.Single();

        Assert.That(pair.Name, Is.EqualTo("2nd_home-Disk"));
        Assert.That(pair.SourceRetention, Is.EqualTo(new RetentionPolicy(1000, 16)));
    }
}
