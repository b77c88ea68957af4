namespace BtrfsBackup.Tests.Model;

/// <summary>The model's locks behave as <see cref="BtrfsBackup.Locking.FileLocks"/> do between processes and within one.</summary>
[TestFixture]
public sealed class ModelLocksTests
{
    private const string Key = "/srv/.snapshots/home";

    [Test]
    public void Within_one_process_a_lock_is_shared_and_held_until_the_last_holder_lets_go()
    {
        var table = new ModelLockTable();
        var process = new ModelLocks(table, processId: 1);

        var outer = process.Acquire(Key);
        var inner = process.Acquire(Key);
        inner.Dispose();
        inner.Dispose();

        Assert.That(table.Held, Is.EqualTo(new[] { Key }), "disposing twice releases once");
        outer.Dispose();
        Assert.That(table.Held, Is.Empty);
    }

    [Test]
    public void Another_process_is_refused_with_the_holder_and_the_lock_file_then_gets_it_once_released()
    {
        var table = new ModelLockTable();
        var first = new ModelLocks(table, processId: 101);
        var second = new ModelLocks(table, processId: 202);
        var held = first.Acquire(Key);

        var refused = Assert.Throws<BackupException>(() => second.Acquire(Key));

        Assert.That(refused!.Message, Is.EqualTo(
            $"locked by another run (process 101), holding {ModelLocks.LockFile(Key)}; stopped before touching anything, run again when it has finished"));
        Assert.That(ModelLocks.LockFile(Key), Does.Match(@"^/run/btrfsbackup/locks/srv-\.snapshots-home-[0-9a-f]{12}\.lock$"));
        using (second.Acquire("/mnt/backup/home"))
        {
            Assert.That(table.Held, Is.EqualTo(new[] { "/mnt/backup/home", Key }), "other keys are free");
        }

        held.Dispose();
        using (second.Acquire(Key))
        {
            Assert.That(() => first.Acquire(Key), Throws.TypeOf<BackupException>().With.Message.Contains("(process 202)"));
        }
    }
}
