using BtrfsBackup.Linux;
using BtrfsBackup.Locking;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Locking;

[TestFixture]
public sealed class FileLocksTests
{
    private const string Key = "/.snapshots/home";
    private DirectoryInfo sandbox = null!;
    private RuntimeDirectory runtime = null!;
    private FileLocks locks = null!;

    [SetUp]
    public void PrivateRuntimeDirectory()
    {
        sandbox = Directory.CreateTempSubdirectory("btrfsbackup-locks-");
        runtime = new RuntimeDirectory(Path.Combine(sandbox.FullName, "run"));
        locks = new FileLocks(runtime);
    }

    [TearDown]
    public void RemoveSandbox() => sandbox.Delete(recursive: true);

    [Test]
    public void A_lock_file_is_named_after_its_key_in_the_runtime_directorys_locks_folder()
    {
        Assert.That(locks.PathFor(Key), Does.Match($"^{System.Text.RegularExpressions.Regex.Escape(runtime.Root)}/locks/\\.snapshots-home-[0-9a-f]{{12}}\\.lock$"));
        Assert.That(locks.PathFor(Key + "-other"), Is.Not.EqualTo(locks.PathFor(Key)));
    }

    [Test]
    public void Within_one_process_the_lock_is_shared_and_released_when_the_last_holder_lets_go()
    {
        var first = locks.Acquire(Key);
        var second = locks.Acquire(Key);
        first.Dispose();

        Assert.That(FlockHolder.IsHeld(locks.PathFor(Key)), Is.True, "still held by the second holder");
        second.Dispose();
        Assert.That(FlockHolder.IsHeld(locks.PathFor(Key)), Is.False);
        Assert.That(File.ReadAllText(locks.PathFor(Key)).Trim(), Is.EqualTo(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void The_lock_folder_is_made_for_the_tools_user_alone()
    {
        using var held = locks.Acquire(Key);

        var folder = FileStatus.OfEntry(Path.Combine(runtime.Root, "locks"))!;
        Assert.That(folder.Kind, Is.EqualTo(FileKind.Directory));
        Assert.That(folder.Permissions, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Assert.That(FileStatus.OfEntry(locks.PathFor(Key))!.Permissions, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task A_lock_held_by_another_process_is_refused_naming_the_file_and_the_holder()
    {
        runtime.LocksFolder();
        var path = locks.PathFor(Key);
        await using (var holder = await FlockHolder.StartAsync(path))
        {
            var error = Assert.Throws<BackupException>(() => locks.Acquire(Key));

            Assert.That(error!.Message, Is.EqualTo(
                $"locked by another run (process {holder.ProcessId}), holding {path}; stopped before touching anything, run again when it has finished"));
        }

        using var afterwards = locks.Acquire(Key);
        Assert.That(FlockHolder.IsHeld(path), Is.True, "taken once the holder let go");
    }
}
