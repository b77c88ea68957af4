using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>`dotnet cake` itself, on real loop-mounted filesystems.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class SnapshotTargetTests : RealBtrfsFixture
{

    [Test]
    public async Task Snapshot_target_creates_a_suffixed_read_only_snapshot_of_the_named_pair_only()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        var config = ConfigFile.Write(Sandbox.Root, home, root);

        var result = CakeAt(new DateTimeOffset(2026, 11, 26, 9, 12, 44, TimeSpan.Zero), "--target=snapshot", "--pair=home", "--suffix=x", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var snapshot = (await Scans.OfAsync(home)).SnapshotDir.Snapshots.Single();
        Assert.That(snapshot.Name.ToString(), Is.EqualTo("2026-11-26T09:12:44+00:00-x"), "named by the local time, its offset and the suffix");
        Assert.That(snapshot.Subvolume.IsReadOnly, Is.True);
        Assert.That(Directory.Exists(root.SnapshotDir), Is.False, "only the named pair is snapshotted");
    }

    [Test]
    public void Dry_run_prints_the_btrfs_command_and_changes_nothing()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = Cake("--target=snapshot", "--all", "--dryrun", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"[dry run] would run: btrfs subvolume snapshot -r {home.Source} {home.SnapshotDir}/"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False);
    }

    [Test]
    public void List_shows_each_pairs_snapshots()
    {
        var home = PairLayout.Create(Sandbox, "home");
        Directory.CreateDirectory(home.SnapshotDir);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, Path.Combine(home.SnapshotDir, "2026-11-20T03:00:00-before"));
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = Cake("--target=list", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Pair 'home'"));
        Assert.That(result.Output, Does.Match(@"2026-11-20T03:00:00-before\s+yes\s+-"));
    }

    [Test]
    public void A_failing_pair_does_not_stop_the_others_and_the_run_exits_non_zero_naming_it()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var plain = Path.Combine(Sandbox.Filesystems[0].MountPoint, "plain");
        Directory.CreateDirectory(plain);
        var broken = home with { Name = "broken", Source = plain, SnapshotDir = Path.Combine(Sandbox.Filesystems[0].MountPoint, ".snapshots", "broken"), Target = null };
        var config = ConfigFile.Write(Sandbox.Root, broken, home);

        var result = Cake("--target=snapshot", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.All, Does.Contain($"broken at Scan: source {plain} is not a btrfs subvolume"));
        Assert.That(Directory.GetDirectories(home.SnapshotDir), Has.Length.EqualTo(1), "the healthy pair still got its snapshot");
    }

    [Test]
    public void A_bad_config_fails_with_file_line_and_key_and_touches_nothing()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var config = Path.Combine(Sandbox.Root, "backup_config.toml");
        File.WriteAllText(config, $"[pairs.home]\nsource = \"{home.Source}\"\nsnapshot_dir = \"{home.SnapshotDir}\"\nkeep = 3\n");

        var result = Cake("--target=snapshot", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.All, Does.Contain($"{config}:4:1: unknown key 'keep' in [pairs.home]"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False);
    }

    [Test]
    public void A_value_of_the_wrong_type_fails_with_file_line_key_and_both_types_and_touches_nothing()
    {
        // The binding code Tomlyn generated at build time, as the native program runs it: its type errors read as TOML's words.
        var home = PairLayout.Create(Sandbox, "home");
        var config = Path.Combine(Sandbox.Root, "backup_config.toml");
        File.WriteAllText(config, $"[pairs.home]\nsource = \"{home.Source}\"\nsnapshot_dir = \"{home.SnapshotDir}\"\n\n[pairs.home.source_retention]\nkeep_days = \"7\"\n");

        var result = Cake("--target=snapshot", "--all", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.All, Does.Contain($"{config}:6:1: pairs.home.source_retention.keep_days: expected an integer, found a string"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False);
    }
}
