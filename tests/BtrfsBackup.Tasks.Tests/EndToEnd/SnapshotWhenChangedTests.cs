using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// <c>snapshot_when = "changed"</c> through the program on real loop-mounted btrfs: what counts as a
/// change is whatever moves the source's generation, data or metadata. The test never syncs: the
/// tool must commit pending writes itself before it compares.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class SnapshotWhenChangedTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task An_unchanged_source_gets_no_snapshot_and_a_one_byte_change_gets_one()
    {
        var home = PairLayout.Create(Sandbox, "home", withTarget: false) with { SnapshotWhen = SnapshotWhen.Changed };
        var config = ConfigFile.Write(Sandbox.Root, home);
        Snapshot(FirstNight, config);

        var unchanged = Snapshot(FirstNight.AddDays(1), config);

        Assert.That(unchanged.Output, Does.Contain("Snapshot: unchanged since 2026-11-26T03:00:00+00:00 (snapshot_when = \"changed\")"), "the run summary says why");
        Assert.That(await SnapshotNamesAsync(home), Is.EqualTo(new[] { "2026-11-26T03:00:00+00:00" }));

        File.AppendAllText(Path.Combine(home.Source, "hello.txt"), "!");
        Snapshot(FirstNight.AddDays(2), config);

        Assert.That(await SnapshotNamesAsync(home), Is.EqualTo(new[] { "2026-11-26T03:00:00+00:00", "2026-11-28T03:00:00+00:00" }));
    }

    [Test]
    public async Task A_change_of_metadata_only_a_chmod_or_an_xattr_gets_a_snapshot()
    {
        var home = PairLayout.Create(Sandbox, "home", withTarget: false) with { SnapshotWhen = SnapshotWhen.Changed };
        var config = ConfigFile.Write(Sandbox.Root, home);
        var file = Path.Combine(home.Source, "hello.txt");
        Snapshot(FirstNight, config);

        File.SetUnixFileMode(file, UnixFileMode.UserRead);
        Snapshot(FirstNight.AddDays(1), config);
        ExtendedAttributes.Set(file, "user.note", "kept");
        Snapshot(FirstNight.AddDays(2), config);
        Snapshot(FirstNight.AddDays(3), config);

        Assert.That(await SnapshotNamesAsync(home), Is.EqualTo(new[] { "2026-11-26T03:00:00+00:00", "2026-11-27T03:00:00+00:00", "2026-11-28T03:00:00+00:00" }),
            "the chmod and the xattr each made one; the night after, nothing had changed");
    }

    [Test]
    public async Task A_snapshot_with_a_suffix_is_always_taken_and_a_dry_run_says_the_same_as_a_run()
    {
        var home = PairLayout.Create(Sandbox, "home", withTarget: false) with { SnapshotWhen = SnapshotWhen.Changed };
        var root = PairLayout.Create(Sandbox, "root", withTarget: false);
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        Snapshot(FirstNight, config);

        var dryRun = CakeAt(FirstNight.AddDays(1), "snapshot", "--all", "--dryrun", $"--config={config}");
        var suffixed = CakeAt(FirstNight.AddDays(1), "snapshot", "--all", "--suffix=pre-apt", $"--config={config}");

        Assert.That(dryRun.ExitCode, Is.Zero, dryRun.ToString());
        Assert.That(dryRun.Output, Does.Contain("Skipping Snapshot:home: unchanged since 2026-11-26T03:00:00+00:00 (snapshot_when = \"changed\")."));
        Assert.That(dryRun.Output, Does.Contain($"[dry run] would run: btrfs subvolume snapshot -r {root.Source} {root.SnapshotDir}/2026-11-27T03:00:00+00:00"),
            "a pair that says nothing takes one every time");
        Assert.That(suffixed.ExitCode, Is.Zero, suffixed.ToString());
        Assert.That(await SnapshotNamesAsync(home), Is.EqualTo(new[] { "2026-11-26T03:00:00+00:00", "2026-11-27T03:00:00+00:00-pre-apt" }));
        Assert.That(await SnapshotNamesAsync(root), Is.EqualTo(new[] { "2026-11-26T03:00:00+00:00", "2026-11-27T03:00:00+00:00-pre-apt" }));
    }

    [Test]
    public void A_snapshot_dir_inside_the_source_subvolume_is_warned_about_and_one_that_is_a_subvolume_is_not()
    {
        var system = Sandbox.Filesystems[0].MountPoint;
        var root = BtrfsSandbox.CreateSubvolume(Path.Combine(system, "root"));
        var home = BtrfsSandbox.CreateSubvolume(Path.Combine(system, "home"));
        BtrfsSandbox.CreateSubvolume(Path.Combine(home, ".snapshots"));
        var plainInside = new BackupPair("root", root, Path.Combine(root, ".snapshots"), null, null, null) { SnapshotWhen = SnapshotWhen.Changed };
        var subvolumeInside = new BackupPair("home", home, Path.Combine(home, ".snapshots"), null, null, null) { SnapshotWhen = SnapshotWhen.Changed };
        var config = ConfigFile.Write(Sandbox.Root, plainInside, subvolumeInside);

        var result = Snapshot(FirstNight, config);

        Assert.That(result.All, Does.Contain($"snapshot_when = \"changed\" sees the tool's own work as changes for pair root: its snapshot_dir {root}/.snapshots is a plain directory inside the source subvolume"));
        Assert.That(result.All, Does.Not.Contain("for pair home"), "a snapshot_dir that is a subvolume of its own is not part of the source");
    }

    private CakeResult Snapshot(DateTimeOffset at, string config)
    {
        var result = CakeAt(at, "snapshot", "--all", $"--config={config}");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    private static async Task<List<string>> SnapshotNamesAsync(BackupPair pair) =>
        (await Scans.OfAsync(pair)).SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()).ToList();
}
