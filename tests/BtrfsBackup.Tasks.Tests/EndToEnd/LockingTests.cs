using BtrfsBackup.Locking;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// A pair whose lock another process holds (the test's own flock, standing in for another run): with
/// <c>--lock-timeout=0</c> the run stops that pair at once, before touching it, naming the lock and its
/// holder, and the other pairs proceed; with a timeout it waits, saying so, and goes on once the lock is free.
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
            result = Cake("--target=nightly", $"--config={config}", "--lock-timeout=0");
        }

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.All, Does.Contain(
            $"home at Scan: locked by another run (process {holder}), holding {lockFile}; stopped before touching anything, run again when it has finished"));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False, "the locked pair was not touched");
        Assert.That((await Scans.OfAsync(root)).SnapshotDir.Snapshots, Has.Count.EqualTo(1), "the other pair ran");
        Assert.That(result.All, Does.Contain("root: succeeded"));
    }

    [Test]
    public async Task With_a_lock_timeout_a_run_waits_for_the_pair_another_run_holds_and_proceeds_once_it_is_released()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var config = ConfigFile.Write(Sandbox.Root, home);
        Sandbox.Runtime.LocksFolder();
        var lockFile = new FileLocks(Sandbox.Runtime).PathFor(home.SnapshotDir);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();

        var holder = await FlockHolder.StartAsync(lockFile);
        CliWrap.CommandTask<CliWrap.CommandResult> run;
        try
        {
            run = CakeCli.StartProgram(Sandbox.ChildEnvironment, ["nightly", $"--config={config}", "--lock-timeout=600"], line =>
            {
                if (line.Contains("waiting up to 600 s", StringComparison.Ordinal))
                {
                    waiting.TrySetResult();
                }
            }, output, hangGuard.Token);

            // The barrier: the run has met the held lock and says it waits (or it ended, which fails below).
            await Task.WhenAny(waiting.Task, run.Task);
            Assert.That(waiting.Task.IsCompleted, Is.True, "the run should wait for the lock: " + output);
            Assert.That(Directory.Exists(home.SnapshotDir), Is.False, "nothing is touched while it waits");
        }
        finally
        {
            await holder.DisposeAsync();
        }

        var result = await run;

        Assert.That(result.ExitCode, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Does.Contain($"home: locked by another run (process {holder.ProcessId}), holding {lockFile}: waiting up to 600 s for it (--lock-timeout)"));
        Assert.That((await Scans.OfAsync(home)).SnapshotDir.Snapshots, Has.Count.EqualTo(1), "the run went on once the lock was free");
        Assert.That(output.ToString(), Does.Contain("home: succeeded"));
    }

    [TestCase("-1")]
    [TestCase("soon")]
    [TestCase("86401")]
    public void A_lock_timeout_that_is_not_a_number_of_seconds_is_refused(string value)
    {
        var home = PairLayout.Create(Sandbox, "home");
        var config = ConfigFile.Write(Sandbox.Root, home);

        var result = Cake("nightly", $"--config={config}", $"--lock-timeout={value}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.All, Does.Contain($"--lock-timeout must be a whole number of seconds from 0 (fail at once) to 86400, got '{value}'. Nothing was touched."));
        Assert.That(Directory.Exists(home.SnapshotDir), Is.False);
    }
}
