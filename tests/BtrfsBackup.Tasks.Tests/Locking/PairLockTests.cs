using BtrfsBackup.Configuration;
using BtrfsBackup.Locking;
using BtrfsBackup.Tests.Support;
using CliWrap;

namespace BtrfsBackup.Tests.Locking;

[TestFixture]
public sealed class PairLockTests
{
    private BackupPair pair = null!;

    [SetUp]
    public void UniquePair() =>
        pair = new BackupPair("home", "/home", $"/.snapshots/home-{Guid.NewGuid():N}", null, null, null);

    [TearDown]
    public void RemoveLockFile() => File.Delete(PairLock.PathFor(pair));

    [Test]
    public void Lock_file_is_keyed_by_the_snapshot_dir_not_the_pair_name()
    {
        var other = pair with { SnapshotDir = pair.SnapshotDir + "-other" };
        var renamed = pair with { Name = "renamed" };

        Assert.That(Path.GetFileName(PairLock.PathFor(pair)), Does.Match("^\\.snapshots-home-[0-9a-f]{32}-[0-9a-f]{12}\\.lock$"));
        Assert.That(PairLock.PathFor(other), Is.Not.EqualTo(PairLock.PathFor(pair)));
        Assert.That(PairLock.PathFor(renamed), Is.EqualTo(PairLock.PathFor(pair)), "a renamed pair on the same snapshots takes the same lock");
    }

    [Test]
    public void Within_one_process_the_lock_is_shared_and_released_when_the_last_holder_lets_go()
    {
        var first = PairLock.Acquire(pair);
        var second = PairLock.Acquire(pair);
        first.Dispose();

        Assert.That(IsHeldByAnyone(), Is.True, "still held by the second holder");
        second.Dispose();
        Assert.That(IsHeldByAnyone(), Is.False);
        Assert.That(File.ReadAllText(PairLock.PathFor(pair)).Trim(), Is.EqualTo(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task A_lock_held_by_another_process_is_refused_naming_the_file_and_the_holder()
    {
        var path = PairLock.PathFor(pair);
        Directory.CreateDirectory(PairLock.Directory);
        var alive = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(path, alive + "\n");
        using var stop = new CancellationTokenSource();
        var holder = Cli.Wrap("flock").WithArguments(["-x", "-o", path, "sleep", "30"]).WithValidation(CommandResultValidation.None).ExecuteAsync(stop.Token);
        try
        {
            while (!IsHeldByAnyone())
            {
                await Task.Delay(10);
            }

            var error = Assert.Throws<BackupException>(() => PairLock.Acquire(pair));

            Assert.That(error!.Message, Is.EqualTo(
                $"Pair 'home' is locked by another run (process {alive}), holding {path}. Stopped before touching anything; run again when it has finished."));
        }
        finally
        {
            await stop.CancelAsync();
            await holder.Task.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        using var afterwards = PairLock.Acquire(pair);
        Assert.That(afterwards.Path, Is.EqualTo(path), "released by the kernel when the holder died");
    }

    private bool IsHeldByAnyone() => Shell.TryRun("flock", "-n", "-s", PairLock.PathFor(pair), "true").ExitCode != 0;
}
