using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Contrib;

/// <summary>contrib/demo-keep-two.toml, the demo's purge: the shipped configuration's pairs, each side keeping its newest two.</summary>
public sealed class DemoConfigTests
{
    [Test]
    public void The_purge_demo_has_the_shipped_pairs_and_keeps_two_on_each_side()
    {
        var shipped = ConfigurationLoader.Load(Path.Combine(CakeCli.RepositoryRoot, "backup_config.toml"));
        var keepTwo = ConfigurationLoader.Load(Path.Combine(CakeCli.RepositoryRoot, "contrib", "demo-keep-two.toml"));

        Assert.That(
            keepTwo.Pairs.Select(pair => (pair.Name, pair.Source, pair.SnapshotDir, pair.Target)),
            Is.EqualTo(shipped.Pairs.Select(pair => (pair.Name, pair.Source, pair.SnapshotDir, pair.Target))));
        Assert.That(keepTwo.Pairs.Select(pair => (pair.SourceRetention, pair.TargetRetention)), Has.All.EqualTo((new RetentionPolicy(0, 2), new RetentionPolicy(0, 2))));
    }
}
