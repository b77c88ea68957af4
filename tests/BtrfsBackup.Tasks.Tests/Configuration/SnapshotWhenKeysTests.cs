using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

/// <summary><c>snapshot_when</c> ("always" unless told) and <c>snapshot_on_apt</c> (false unless told), from [defaults] or the pair, the pair's value winning.</summary>
[TestFixture]
public sealed class SnapshotWhenKeysTests
{
    [Test]
    public void Left_out_everywhere_a_pair_snapshots_always_and_not_on_apt()
    {
        var pair = ConfigurationLoader.Parse("""
            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            """, "test.toml").Pairs.Single();

        Assert.That((pair.SnapshotWhen, pair.SnapshotOnApt), Is.EqualTo((SnapshotWhen.Always, false)));
    }

    [Test]
    public void Defaults_apply_to_every_pair_and_a_pairs_own_value_wins()
    {
        var pairs = ConfigurationLoader.Parse("""
            [defaults]
            snapshot_when = "changed"
            snapshot_on_apt = true

            [pairs.home]
            source = "/home"
            snapshot_dir = "/.snapshots/home"

            [pairs.root]
            source = "/"
            snapshot_dir = "/.snapshots/root"
            snapshot_when = "always"
            snapshot_on_apt = false
            """, "test.toml").Pairs;

        Assert.That(pairs.Select(pair => (pair.Name, pair.SnapshotWhen, pair.SnapshotOnApt)), Is.EqualTo(new[]
        {
            ("home", SnapshotWhen.Changed, true),
            ("root", SnapshotWhen.Always, false),
        }));
    }
}
