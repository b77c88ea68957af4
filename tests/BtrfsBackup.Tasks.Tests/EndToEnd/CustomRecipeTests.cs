using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>The example recipes under recipes/examples, run with `dotnet cake` as the docs describe.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class CustomRecipeTests : RealBtrfsFixture
{

    [Test]
    public async Task Pre_upgrade_snapshots_the_root_pair_only_with_its_suffix()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        var config = ConfigFile.Write(Sandbox.Root, home, root);

        var result = CakeScript("recipes/examples/pre-upgrade.cake", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var snapshot = (await Scans.OfAsync(root)).SnapshotDir.Snapshots.Single();
        Assert.That(snapshot.Name.Suffix, Is.EqualTo("pre-upgrade"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False);
        Assert.That((await Scans.OfAsync(root)).Target!.Snapshots, Is.Empty, "nothing is sent");
    }

    [Test]
    public async Task Weekly_offsite_sends_and_purges_the_home_pair_without_snapshotting()
    {
        var home = PairLayout.Create(Sandbox, "home") with { TargetRetention = new BtrfsBackup.Configuration.RetentionPolicy(0, 1) };
        var root = PairLayout.Create(Sandbox, "root");
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        Directory.CreateDirectory(home.SnapshotDir);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, Path.Combine(home.SnapshotDir, "2026-11-01T03:00:00"));
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", home.Source, Path.Combine(home.SnapshotDir, "2026-11-02T03:00:00"));

        var result = CakeScript("recipes/examples/weekly-offsite.cake", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var after = await Scans.OfAsync(home);
        Assert.That(after.SnapshotDir.Snapshots, Has.Count.EqualTo(2), "no new snapshot");
        Assert.That(after.Target!.Snapshots.Select(backup => backup.Name.ToString()), Is.EqualTo(new[] { "2026-11-02T03:00:00" }),
            "both were sent, then the target kept its newest 1");
        Assert.That(Directory.Exists(root.SnapshotDir), Is.False, "the root pair is not touched");
    }
}
