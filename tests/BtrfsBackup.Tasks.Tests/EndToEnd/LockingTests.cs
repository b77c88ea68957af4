using BtrfsBackup.Locking;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// A pair whose lock another process holds (the test's own flock, standing in for another run): the
/// run stops that pair before touching it, naming the lock and its holder, and the other pairs proceed.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class LockingTests : RealBtrfsFixture
{
    [Test]
    public async Task A_pair_locked_by_another_run_stops_at_once_naming_the_lock_and_its_holder_while_other_pairs_proceed()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        Sandbox.Runtime.LocksFolder();
        var lockFile = new FileLocks(Sandbox.Runtime).PathFor(home.SnapshotDir);

        CakeResult result;
        int holder;
        await using (var other = await FlockHolder.StartAsync(lockFile))
        {
            holder = other.ProcessId;
            result = Cake("--target=nightly", $"--config={config}");
        }

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.All, Does.Contain(
            $"home at Scan: locked by another run (process {holder}), holding {lockFile}; stopped before touching anything, run again when it has finished"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False, "the locked pair was not touched");
        Assert.That((await Scans.OfAsync(root)).SnapshotDir.Snapshots, Has.Count.EqualTo(1), "the other pair ran");
        Assert.That(result.All, Does.Contain("root: succeeded"));
    }
}
