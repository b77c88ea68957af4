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

    [Test]
    public async Task A_wait_for_a_held_lock_that_the_run_stops_says_the_run_was_stopped_not_that_the_wait_ran_out()
    {
        runtime.LocksFolder();
        var path = locks.PathFor(Key);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var stop = new CancellationTokenSource();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var holder = await FlockHolder.StartAsync(path);
        var wait = new LockWait(TimeSpan.FromHours(1), _ => waiting.TrySetResult(), stop.Token);
        var acquiring = Task.Factory.StartNew(() => locks.Acquire(Key, wait), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // The barrier: it has met the held lock and said it waits (or it ended, which fails here).
        await Task.WhenAny(waiting.Task, acquiring).WaitAsync(hangGuard.Token);
        Assert.That(waiting.Task.IsCompleted, Is.True, "it should wait for the lock");
        await stop.CancelAsync();

        var error = await Assert.ThrowsAsync<BackupException>(() => acquiring.WaitAsync(hangGuard.Token));
        Assert.That(error!.Message, Is.EqualTo(
            $"the run was stopped while waiting for the lock {path}, held by another run (process {holder.ProcessId}); nothing was touched"));
        Assert.That(Shell.Run("cat", path).Trim(), Is.EqualTo(holder.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the holder's lock file is left as it was (read by cat: .NET would ask flock for a shared lock)");
    }

    [Test]
    public void A_symlink_planted_where_a_lock_file_goes_is_refused_and_what_it_points_at_is_left_unchanged()
    {
        runtime.LocksFolder();
        var victim = Path.Combine(sandbox.FullName, "precious");
        File.WriteAllText(victim, "root's own\n");
        File.CreateSymbolicLink(locks.PathFor(Key), victim);

        var error = Assert.Throws<BackupException>(() => locks.Acquire(Key));

        Assert.That(error!.Message, Is.EqualTo($"the lock file {locks.PathFor(Key)} is a symlink; refusing to use it (remove it: only the tool makes files there)"));
        Assert.That(File.ReadAllText(victim), Is.EqualTo("root's own\n"), "neither truncated nor written");
        Assert.That(FileStatus.OfEntry(locks.PathFor(Key))!.Kind, Is.EqualTo(FileKind.Symlink), "the planted link is left for the admin to look at");
    }

    [Test]
    public void A_lock_file_of_another_user_is_refused_before_it_is_written()
    {
        Assume.That(TrustedFiles.CurrentUserId, Is.Zero, "as root: the test gives files to another user, and the messages name uid 0");
        runtime.LocksFolder();
        var path = locks.PathFor(Key);
        File.WriteAllText(path, "not a pid\n");
        Shell.Run("chown", "nobody", path);

        var error = Assert.Throws<BackupException>(() => locks.Acquire(Key));

        Assert.That(error!.Message, Does.StartWith($"{path} is owned by uid 65534, mode 0644: the tool uses only files and folders of its own user"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("not a pid\n"));
    }

    [Test]
    public void A_lock_folder_owned_by_another_user_is_refused()
    {
        Assume.That(TrustedFiles.CurrentUserId, Is.Zero, "as root: the test gives files to another user, and the messages name uid 0");
        var folder = runtime.LocksFolder();
        Shell.Run("chown", "nobody", folder);

        var error = Assert.Throws<BackupException>(() => locks.Acquire(Key));

        Assert.That(error!.Message, Is.EqualTo(
            $"{folder} is owned by uid 65534, mode 0700: the tool uses only files and folders of its own user (uid 0) that no one else may write " +
            $"(fix: chown 0 '{folder}' && chmod go-w '{folder}', after checking who made it)"));
        Assert.That(Directory.EnumerateFileSystemEntries(folder), Is.Empty, "no lock file made in it");
    }

    [Test]
    public void A_runtime_directory_that_is_a_symlink_or_writable_by_others_is_refused()
    {
        Assume.That(TrustedFiles.CurrentUserId, Is.Zero, "as root: the test gives files to another user, and the messages name uid 0");
        var elsewhere = Directory.CreateDirectory(Path.Combine(sandbox.FullName, "elsewhere")).FullName;
        File.CreateSymbolicLink(runtime.Root, elsewhere);

        Assert.That(() => locks.Acquire(Key), Throws.TypeOf<BackupException>().With.Message.EqualTo($"{runtime.Root} is a symlink, not a directory; refusing to use it"));
        Assert.That(Directory.EnumerateFileSystemEntries(elsewhere), Is.Empty);

        File.Delete(runtime.Root);
        Directory.CreateDirectory(runtime.Root);
        File.SetUnixFileMode(runtime.Root, (UnixFileMode)Convert.ToInt32("1777", 8));
        Assert.That(() => locks.Acquire(Key), Throws.TypeOf<BackupException>().With.Message.StartsWith($"{runtime.Root} is owned by uid 0, mode 1777: the tool uses only"));
    }
}
