using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

[TestFixture]
public sealed class ConfigurationLoaderTests
{
    // The example from the contract, verbatim.
    private const string ContractExample = """
        # Values here apply to every pair; a pair's own values win.
        [defaults]
        source_retention = { keep_days = 7, keep_count = 10 }
        target_retention = { keep_days = 60, keep_count = 30 }

        [pairs.home_directories]
        source = "/home"                    # the subvolume to snapshot (absolute path)
        snapshot_dir = "/.snapshots/home"   # read-only snapshots are created here, same filesystem as source
        target = "/mnt/backup/home"         # snapshots are received here; leave out for a snapshot-only pair

        [pairs.home_directories.source_retention]
        keep_days = 7
        keep_count = 10

        [pairs.home_directories.target_retention]
        keep_days = 90
        keep_count = 30

        [pairs.root_system]
        source = "/"
        snapshot_dir = "/.snapshots/root"
        target = "/mnt/backup/root"
        alert_after_days = 3                # stale (exit code 3) after 3 days without a new backup; 0: no alarm
        """;

    [Test]
    public void The_contract_example_parses_to_its_two_pairs()
    {
        var configuration = ConfigurationLoader.Parse(ContractExample, "backup_config.toml");

        Assert.That(configuration.FilePath, Is.EqualTo("backup_config.toml"));
        Assert.That(configuration.Pairs, Is.EqualTo(new[]
        {
            new BackupPair("home_directories", "/home", "/.snapshots/home", "/mnt/backup/home", new RetentionPolicy(7, 10), new RetentionPolicy(90, 30)) { AlertAfterDays = 7 },
            new BackupPair("root_system", "/", "/.snapshots/root", "/mnt/backup/root", new RetentionPolicy(7, 10), new RetentionPolicy(60, 30)) { AlertAfterDays = 3 },
        }));
    }

    [Test]
    public void Load_reads_the_file_and_remembers_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"btrfsbackup-config-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, ContractExample);
        try
        {
            var configuration = ConfigurationLoader.Load(path);

            Assert.That(configuration.FilePath, Is.EqualTo(path));
            Assert.That(configuration.Pairs.Select(pair => pair.Name), Is.EqualTo(new[] { "home_directories", "root_system" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_pair_value_wins_over_defaults_key_by_key()
    {
        const string Text = """
            [defaults]
            source_retention = { keep_days = 7, keep_count = 10 }
            target_retention = { keep_days = 60 }

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "/mnt/backup/home"
            source_retention = { keep_count = 3 }
            target_retention = { keep_count = 20 }
            """;

        var pair = ConfigurationLoader.Parse(Text, "merge.toml").Pairs.Single();

        Assert.That(pair.SourceRetention, Is.EqualTo(new RetentionPolicy(KeepDays: 7, KeepCount: 3)));
        Assert.That(pair.TargetRetention, Is.EqualTo(new RetentionPolicy(KeepDays: 60, KeepCount: 20)));
    }

    [Test]
    public void A_limit_given_nowhere_counts_as_zero_when_the_other_is_given()
    {
        const string Text = """
            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"

            [pairs.home.source_retention]
            keep_days = 14
            """;

        var pair = ConfigurationLoader.Parse(Text, "partial.toml").Pairs.Single();

        Assert.That(pair.SourceRetention, Is.EqualTo(new RetentionPolicy(KeepDays: 14, KeepCount: 0)));
    }

    [Test]
    public void A_location_without_retention_anywhere_has_none()
    {
        const string Text = """
            [defaults]
            target_retention = { keep_days = 60, keep_count = 30 }

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "/mnt/backup/home"
            """;

        var pair = ConfigurationLoader.Parse(Text, "no-source-retention.toml").Pairs.Single();

        Assert.That(pair.SourceRetention, Is.Null);
        Assert.That(pair.TargetRetention, Is.EqualTo(new RetentionPolicy(60, 30)));
    }

    [Test]
    public void Neither_location_has_retention_without_any_retention_table()
    {
        var pair = ConfigurationLoader.Parse("[pairs.home]\nsource = \"/home\"\nsnapshot_dir = \"/s\"\n", "bare.toml").Pairs.Single();

        Assert.That(pair.SourceRetention, Is.Null);
        Assert.That(pair.TargetRetention, Is.Null);
    }

    [Test]
    public void A_pair_without_target_is_snapshot_only()
    {
        const string Text = """
            [pairs.scratch]
            source = "/srv/scratch"
            snapshot_dir = "/srv/.snapshots/scratch"
            """;

        var pair = ConfigurationLoader.Parse(Text, "snapshot-only.toml").Pairs.Single();

        Assert.That(pair.Name, Is.EqualTo("scratch"));
        Assert.That(pair.Target, Is.Null);
    }

    [Test]
    public void Trailing_and_doubled_slashes_are_normalised()
    {
        const string Text = """
            [pairs.home]
            source = "/home/"
            snapshot_dir = "//.snapshots//home/"
            target = "/mnt/backup/home///"

            [pairs.root]
            source = "/"
            snapshot_dir = "/.snapshots/root"
            """;

        var pairs = ConfigurationLoader.Parse(Text, "slashes.toml").Pairs;

        Assert.That(pairs[0].Source, Is.EqualTo("/home"));
        Assert.That(pairs[0].SnapshotDir, Is.EqualTo("/.snapshots/home"));
        Assert.That(pairs[0].Target, Is.EqualTo("/mnt/backup/home"));
        Assert.That(pairs[1].Source, Is.EqualTo("/"));
    }

    [Test]
    public void Pair_names_may_use_letters_digits_underscore_and_dash()
    {
        const string Text = """
            [pairs.Home-2_b]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            """;

        Assert.That(ConfigurationLoader.Parse(Text, "names.toml").Pairs.Single().Name, Is.EqualTo("Home-2_b"));
    }

    [TestCase("[pairs.\"home\\n\"]", "pair name 'home\n' is not allowed")]
    [TestCase("[pairs.\"\"]", "pair name '' is not allowed")]
    [TestCase("[pairs.\"h\u00f4me\"]", "pair name 'h\u00f4me' is not allowed")]
    public void Pair_names_outside_the_allowed_characters_are_refused(string header, string problem)
    {
        var text = $"{header}\nsource = \"/home\"\nsnapshot_dir = \"/.snapshots/home\"\n";

        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(text, "bad-name.toml"));

        Assert.That(error.Problem, Does.StartWith(problem));
        Assert.That((error.Line, error.Column), Is.EqualTo((1, 2)));
    }

    [Test]
    public void Pairs_given_as_inline_tables_under_pairs_are_read()
    {
        const string Text = """
            [pairs]
            home = { source = "/home", snapshot_dir = "/.snapshots/home", target = "/mnt/b/home" }
            """;

        var pair = ConfigurationLoader.Parse(Text, "inline.toml").Pairs.Single();

        Assert.That(pair, Is.EqualTo(new BackupPair("home", "/home", "/.snapshots/home", "/mnt/b/home", null, null) { AlertAfterDays = 7 }));
    }

    [Test]
    public void Zero_retention_limits_are_allowed()
    {
        const string Text = """
            [defaults]
            source_retention = { keep_days = 0, keep_count = 0 }

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            """;

        Assert.That(ConfigurationLoader.Parse(Text, "zero.toml").Pairs.Single().SourceRetention, Is.EqualTo(new RetentionPolicy(0, 0)));
    }

    [Test]
    public void Select_with_no_names_takes_every_pair_in_file_order()
    {
        var configuration = ThreePairs();

        Assert.That(configuration.Select([]).Select(pair => pair.Name), Is.EqualTo(new[] { "zeta", "alpha", "mid" }));
    }

    [Test]
    public void Select_keeps_the_file_order_whatever_the_order_asked()
    {
        var configuration = ThreePairs();

        Assert.That(configuration.Select(["mid", "zeta"]).Select(pair => pair.Name), Is.EqualTo(new[] { "zeta", "mid" }));
    }

    [Test]
    public void Select_takes_a_pair_named_twice_once()
    {
        var configuration = ThreePairs();

        Assert.That(configuration.Select(["alpha", "alpha"]).Select(pair => pair.Name), Is.EqualTo(new[] { "alpha" }));
    }

    [Test]
    public void Select_refuses_an_unknown_pair_naming_the_configured_ones()
    {
        var configuration = ThreePairs();

        var error = Assert.Throws<BackupException>(() => configuration.Select(["alpha", "beta"]));

        Assert.That(error.Message, Is.EqualTo("Unknown pair 'beta' in three.toml. Configured pairs: zeta, alpha, mid."));
    }

    [Test]
    public void Pair_names_are_case_sensitive()
    {
        var configuration = ThreePairs();

        Assert.That(() => configuration.GetPair("Alpha"), Throws.InstanceOf<BackupException>().With.Message.Contains("Unknown pair 'Alpha'"));
        Assert.That(configuration.GetPair("alpha").Source, Is.EqualTo("/srv/alpha"));
    }

    private static BackupConfiguration ThreePairs() =>
        ConfigurationLoader.Parse(
            """
            [pairs.zeta]
            source = "/srv/zeta"
            snapshot_dir = "/.snapshots/zeta"

            [pairs.alpha]
            source = "/srv/alpha"
            snapshot_dir = "/.snapshots/alpha"

            [pairs.mid]
            source = "/srv/mid"
            snapshot_dir = "/.snapshots/mid"
            """,
            "three.toml");
}
