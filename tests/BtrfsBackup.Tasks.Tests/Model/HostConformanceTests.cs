using System.Text.RegularExpressions;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using BtrfsBackup.Tests.Scenarios;

namespace BtrfsBackup.Tests.Model;

/// <summary>
/// The model is only as good as its likeness: every answer and every failure the tool can get from
/// <see cref="IBtrfsHost"/> and <see cref="ITransferRunner"/>, asserted once, word for word, and run
/// on real btrfs (<see cref="RealBtrfsHostConformanceTests"/>), on the model
/// (<see cref="ModelHostConformanceTests"/>) and on real btrfs reached over ssh
/// (<see cref="SshHostConformanceTests"/>). What passes on all of them, the tool cannot tell apart.
/// </summary>
public abstract partial class HostConformanceTests
{
    private ScenarioWorld world = null!;

    [SetUp]
    public void CreateWorld() => world = MakeWorld();

    [TearDown]
    public void RemoveWorld() => world.Dispose();

    private IBtrfsHost Host => world.Host;

    private string System => world.SystemDisk;

    [Test]
    public async Task Show_answers_for_a_subvolume_and_a_top_level_and_fails_as_btrfs_does_for_anything_else()
    {
        world.CreateSubvolume($"{System}/sub");
        world.CreateDirectory($"{System}/dir");
        world.WriteFile($"{System}/file", "x");

        var sub = await Host.ShowSubvolumeAsync($"{System}/sub", default);
        var top = await Host.ShowSubvolumeAsync(System, default);

        Assert.That((sub.Path, sub.ParentUuid, sub.ReceivedUuid, sub.IsReadOnly), Is.EqualTo(($"{System}/sub", (Guid?)null, (Guid?)null, false)));
        Assert.That(sub.CreationGeneration, Is.Positive.And.LessThanOrEqualTo(sub.Generation));
        Assert.That((top.ParentUuid, top.IsReadOnly, top.CreationGeneration), Is.EqualTo(((Guid?)null, false, 0L)), "the top level, id 5");
        Assert.That(await FailureOf(() => Host.ShowSubvolumeAsync($"{System}/dir", default)),
            Is.EqualTo($"`btrfs subvolume show {System}/dir` failed with exit code 1: ERROR: Not a Btrfs subvolume: Invalid argument"));
        Assert.That(await FailureOf(() => Host.ShowSubvolumeAsync($"{System}/file", default)),
            Is.EqualTo($"`btrfs subvolume show {System}/file` failed with exit code 1: ERROR: Not a Btrfs subvolume: Invalid argument"));
        Assert.That(await FailureOf(() => Host.ShowSubvolumeAsync($"{System}/none", default)),
            Is.EqualTo($"`btrfs subvolume show {System}/none` failed with exit code 1: ERROR: cannot find real path for '{System}/none': No such file or directory"));
        Assert.That(await FailureOf(() => Host.ShowSubvolumeAsync(world.Scratch, default)),
            Is.EqualTo($"`btrfs subvolume show {world.Scratch}` failed with exit code 1: ERROR: Not a Btrfs filesystem: Invalid argument"));
    }

    [Test]
    public async Task A_writable_snapshot_of_a_read_only_one_is_writable_with_its_files_and_no_received_uuid()
    {
        world.CreateSubvolume($"{System}/sub");
        world.WriteFile($"{System}/sub/a.txt", "a\n");
        world.SnapshotReadOnly($"{System}/sub", $"{System}/ro");

        await Host.CreateWritableSnapshotAsync($"{System}/ro", $"{System}/restored", default);

        var ro = await Host.ShowSubvolumeAsync($"{System}/ro", default);
        var restored = await Host.ShowSubvolumeAsync($"{System}/restored", default);
        Assert.That((restored.ParentUuid, restored.ReceivedUuid, restored.IsReadOnly), Is.EqualTo(((Guid?)ro.Uuid, (Guid?)null, false)));
        Assert.That(world.Digests($"{System}/restored"), Is.EqualTo(world.Digests($"{System}/sub")));
    }

    [Test]
    public async Task A_read_only_snapshot_has_the_sources_files_its_uuid_as_parent_and_nested_subvolumes_as_empty_directories()
    {
        var source = $"{System}/sub";
        world.CreateSubvolume(source);
        world.CreateDirectory($"{source}/dir");
        world.WriteFile($"{source}/dir/a.txt", "a\n");
        world.CreateSubvolume($"{source}/nested");
        world.WriteFile($"{source}/nested/n.txt", "n\n");
        world.CreateDirectory($"{System}/snaps");
        var original = await Host.ShowSubvolumeAsync(source, default);

        await Host.CreateReadOnlySnapshotAsync(source, $"{System}/snaps/s1", default);

        var snapshot = await Host.ShowSubvolumeAsync($"{System}/snaps/s1", default);
        Assert.That((snapshot.ParentUuid, snapshot.ReceivedUuid, snapshot.IsReadOnly), Is.EqualTo(((Guid?)original.Uuid, (Guid?)null, true)));
        Assert.That(snapshot.CreationGeneration, Is.GreaterThanOrEqualTo(original.CreationGeneration), "btrfs may make both in one transaction");
        Assert.That(world.Digests($"{System}/snaps/s1").Keys, Is.EqualTo(new[] { "dir/a.txt" }), "the nested subvolume's file is not in the snapshot");
        Assert.That(world.Names($"{System}/snaps/s1/nested"), Is.Empty, "the nested subvolume is an empty directory there");
        Assert.That(world.Show($"{System}/snaps/s1/nested"), Is.Null, "and not a subvolume");
    }

    [Test]
    public async Task A_snapshot_leaves_the_source_at_its_creation_generation_until_a_change_is_committed_by_a_sync()
    {
        var source = $"{System}/sub";
        world.CreateSubvolume(source);
        world.WriteFile($"{source}/a.txt", "a\n");
        world.CreateDirectory($"{System}/snaps");

        await Host.CreateReadOnlySnapshotAsync(source, $"{System}/snaps/s1", default);
        await Host.SyncFilesystemAsync(source, default);
        var first = await Host.ShowSubvolumeAsync($"{System}/snaps/s1", default);
        Assert.That((await Host.ShowSubvolumeAsync(source, default)).Generation, Is.EqualTo(first.CreationGeneration),
            "the snapshot's transaction writes the source's root: both carry its generation, and nothing since moved it");

        await Host.CreateReadOnlySnapshotAsync(source, $"{System}/snaps/s2", default);
        var second = await Host.ShowSubvolumeAsync($"{System}/snaps/s2", default);
        Assert.That(second.CreationGeneration, Is.GreaterThan(first.CreationGeneration));
        Assert.That((await Host.ShowSubvolumeAsync(source, default)).Generation, Is.EqualTo(second.CreationGeneration), "an unchanged source, snapshotted again");

        // Not synced by the test: the host's sync must commit the write before show can see it.
        world.AppendFile($"{source}/a.txt", "b");
        await Host.SyncFilesystemAsync(source, default);
        Assert.That((await Host.ShowSubvolumeAsync(source, default)).Generation, Is.GreaterThan(second.CreationGeneration), "a one-byte append");

        Assert.That(await FailureOf(() => Host.SyncFilesystemAsync($"{System}/none", default)),
            Is.EqualTo($"`btrfs filesystem sync {System}/none` failed with exit code 1: ERROR: Could not open: No such file or directory"));
        Assert.That(await FailureOf(() => Host.SyncFilesystemAsync(world.Scratch, default)),
            Is.EqualTo($"`btrfs filesystem sync {world.Scratch}` failed with exit code 1: ERROR: Could not sync filesystem: Inappropriate ioctl for device"));
    }

    [Test]
    public async Task A_snapshot_is_refused_as_btrfs_refuses_it()
    {
        var source = $"{System}/sub";
        world.CreateSubvolume(source);
        world.CreateDirectory($"{System}/snaps");
        world.WriteFile($"{System}/snaps/file", "x");
        world.CreateDirectory($"{System}/plain");
        world.SnapshotReadOnly(source, $"{System}/snaps/ro");

        async Task<string> Snapshot(string from, string to) => await FailureOf(() => Host.CreateReadOnlySnapshotAsync(from, to, default));
        string Expected(string from, string to, string error) => $"`btrfs subvolume snapshot -r {from} {to}` failed with exit code 1: {error}";

        Assert.That(await Snapshot(source, $"{System}/snaps/file"), Is.EqualTo(Expected(source, $"{System}/snaps/file", $"ERROR: '{System}/snaps/file' exists and it is not a directory")));
        Assert.That(await Snapshot(source, $"{System}/none/s1"), Is.EqualTo(Expected(source, $"{System}/none/s1", $"ERROR: cannot access '{System}/none': No such file or directory")));
        Assert.That(await Snapshot(source, $"{world.BackupDisk}/s1"), Is.EqualTo(Expected(source, $"{world.BackupDisk}/s1", $"ERROR: cannot snapshot '{source}': Invalid cross-device link")));
        Assert.That(await Snapshot($"{System}/plain", $"{System}/snaps/s1"), Is.EqualTo(Expected($"{System}/plain", $"{System}/snaps/s1", "ERROR: Not a Btrfs subvolume: Invalid argument")));
        Assert.That(await Snapshot($"{System}/none", $"{System}/snaps/s1"), Is.EqualTo(Expected($"{System}/none", $"{System}/snaps/s1", "ERROR: Could not statfs: No such file or directory")));
        // An existing directory as destination: btrfs snapshots into it, here a read-only snapshot.
        Assert.That(await Snapshot(source, $"{System}/snaps/ro"), Is.EqualTo(Expected(source, $"{System}/snaps/ro", $"ERROR: cannot snapshot '{source}': Read-only file system")));
        Assert.That(world.Names($"{System}/snaps"), Is.EqualTo(new[] { "file", "ro" }), "nothing was made");

        await Host.CreateReadOnlySnapshotAsync(source, $"{System}/plain", default);
        Assert.That(world.Show($"{System}/plain/sub")?.IsReadOnly, Is.True, "into an existing writable directory, under the source's name");
    }

    [Test]
    public async Task Delete_removes_a_subvolume_and_refuses_anything_else_as_btrfs_does()
    {
        world.CreateSubvolume($"{System}/sub");
        world.CreateSubvolume($"{System}/outer");
        world.CreateSubvolume($"{System}/outer/inner");
        world.CreateDirectory($"{System}/dir");

        async Task<string> Delete(string path) => await FailureOf(() => Host.DeleteSubvolumeAsync(path, default));
        string Expected(string path, string error) => $"`btrfs subvolume delete {path}` failed with exit code 1: {error}";

        Assert.That(await Delete($"{System}/dir"), Is.EqualTo(Expected($"{System}/dir", "ERROR: Not a Btrfs subvolume: Invalid argument")));
        Assert.That(await Delete($"{System}/none"), Is.EqualTo(Expected($"{System}/none", "ERROR: Could not statfs: No such file or directory")));
        Assert.That(await Delete($"{System}/outer"), Is.EqualTo(Expected($"{System}/outer", "ERROR: Could not destroy subvolume/snapshot: Directory not empty")));
        await Host.DeleteSubvolumeAsync($"{System}/sub", default);
        await Host.DeleteSubvolumeAsync($"{System}/outer/inner", default);
        await Host.DeleteSubvolumeAsync($"{System}/outer", default);
        Assert.That(world.Names(System), Is.EqualTo(new[] { "dir", "mnt" }));
    }

    [Test]
    public async Task List_gives_every_subvolume_but_the_top_level_through_the_mount_in_the_order_they_were_made()
    {
        world.CreateSubvolume($"{System}/b");
        world.CreateSubvolume($"{System}/b/nested");
        world.CreateDirectory($"{System}/snaps");
        world.SnapshotReadOnly($"{System}/b", $"{System}/snaps/a");
        world.CreateSubvolume($"{world.BackupDisk}/backup");
        var system = await Host.FindFilesystemAsync(System, default);
        var backup = await Host.FindFilesystemAsync(world.BackupDisk, default);

        var onSystem = await Host.ListSubvolumesAsync(system, default);
        var onBackup = await Host.ListSubvolumesAsync(backup, default);

        Assert.That(onSystem.Select(subvolume => (subvolume.Path, subvolume.IsReadOnly)),
            Is.EqualTo(new[] { ($"{System}/b", false), ($"{System}/b/nested", false), ($"{System}/snaps/a", true) }));
        Assert.That(onSystem.Select(subvolume => subvolume.Uuid), Is.EqualTo(await Task.WhenAll(onSystem.Select(async subvolume => (await Host.ShowSubvolumeAsync(subvolume.Path, default)).Uuid))));
        Assert.That(onBackup.Select(subvolume => subvolume.Path), Is.EqualTo(new[] { $"{world.BackupDisk}/backup" }));
        world.Unplug();
        Assert.That((await Host.ListSubvolumesAsync(backup, default)).Select(subvolume => subvolume.Path), Is.EqualTo(onSystem.Select(subvolume => subvolume.Path).Select(path => path.Replace(System, world.BackupDisk, StringComparison.Ordinal))),
            "unplugged, the mount point lists the filesystem underneath, by the old mount's paths");
        world.Plug();
    }

    [Test]
    public async Task Inspect_and_find_filesystem_say_what_stands_at_a_path_and_which_mount_it_is_on()
    {
        world.CreateDirectory($"{System}/dir/inner");
        world.WriteFile($"{System}/file", "x");
        world.CreateSymlink($"{System}/link", $"{System}/dir");
        world.CreateSymlink($"{System}/dangling", $"{System}/none");

        var directory = await Host.InspectAsync($"{System}/dir", default);
        var file = await Host.InspectAsync($"{System}/file", default);
        var missing = await Host.InspectAsync($"{System}/dir/a/b", default);
        var link = await Host.InspectAsync($"{System}/link/inner", default);
        var dangling = await Host.InspectAsync($"{System}/dangling", default);

        Assert.That(directory, Is.EqualTo(new PathState($"{System}/dir", FileKind.Directory, $"{System}/dir", null, $"{System}/dir")));
        Assert.That(file, Is.EqualTo(new PathState($"{System}/file", FileKind.RegularFile, $"{System}/file", null, System)));
        Assert.That(missing, Is.EqualTo(new PathState($"{System}/dir/a/b", null, null, null, $"{System}/dir")));
        Assert.That(link, Is.EqualTo(new PathState($"{System}/link/inner", FileKind.Directory, $"{System}/dir/inner", null, $"{System}/dir/inner")));
        Assert.That(dangling, Is.EqualTo(new PathState($"{System}/dangling", null, null, $"{System}/none", System)));
        Assert.That(await FailureOf(() => Host.InspectAsync($"{System}/file/x", default)), Is.EqualTo($"cannot inspect {System}/file/x: Not a directory"));
        // What stands at a name itself, as lstat sees it: a symlink to nothing is something.
        var standing = await Task.WhenAll(new[] { "dir", "file", "link", "dangling", "dir/a" }.Select(name => Host.AnythingAtAsync($"{System}/{name}", default)));
        Assert.That(standing, Is.EqualTo(new[] { true, true, true, true, false }));
        Assert.That(await FailureOf(() => Host.AnythingAtAsync($"{System}/file/x", default)), Is.EqualTo($"cannot inspect {System}/file/x: Not a directory"));

        var system = await Host.FindFilesystemAsync($"{System}/dir", default);
        var backup = await Host.FindFilesystemAsync(world.BackupDisk, default);
        var scratch = await Host.FindFilesystemAsync(world.Scratch, default);
        Assert.That((system.MountPoint, system.Type, system.FsRoot, system.Uuid is null), Is.EqualTo((System, "btrfs", "/", false)));
        Assert.That((backup.MountPoint, backup.Type, backup.IsSameFilesystemAs(system)), Is.EqualTo((world.BackupDisk, "btrfs", false)));
        Assert.That(scratch.IsBtrfs, Is.False);
        Assert.That(await FailureOf(() => Host.FindFilesystemAsync($"{System}/none", default)),
            Is.EqualTo($"`findmnt -J -n -o TARGET,FSTYPE,FSROOT,UUID --target {System}/none` failed with exit code 1."));
        world.Unplug();
        Assert.That(await Host.FindFilesystemAsync(world.BackupDisk, default), Is.EqualTo(system), "unplugged, the mount point is a directory of the system disk");
        world.Plug();
    }

    [Test]
    public async Task Records_are_read_and_written_whole_never_through_a_symlink_nor_where_the_filesystem_refuses()
    {
        // Each case is a path by a name the tool keeps its records under: the ssh host refuses any other
        // name before running anything (as the forced-command filter in contrib/ssh would).
        var record = $"{System}/{RecordName}";
        world.CreateDirectory($"{System}/dir/{RecordName}");
        world.CreateDirectory($"{System}/links");
        world.CreateSymlink($"{System}/links/{RecordName}", record);
        world.CreateSubvolume($"{System}/sub");
        world.SnapshotReadOnly($"{System}/sub", $"{System}/ro");

        await Host.WriteRecordAsync(record, "one\n", default);
        await Host.WriteRecordAsync(record, "two\n", default);

        Assert.That(await Host.ReadRecordAsync(record, default), Is.EqualTo("two\n"));
        Assert.That(await Host.ReadRecordAsync($"{System}/sub/{RecordName}", default), Is.Null);
        Assert.That(await Host.ReadRecordAsync($"{System}/none/{RecordName}", default), Is.Null);
        Assert.That(await FailureOf(() => Host.ReadRecordAsync($"{System}/links/{RecordName}", default)),
            Is.EqualTo($"{System}/links/{RecordName} is a symlink; the tool does not follow symlinks for its own files"));
        Assert.That(await FailureOf(() => Host.ReadRecordAsync($"{System}/dir/{RecordName}", default)),
            Is.EqualTo($"{System}/dir/{RecordName} is a directory, not a regular file; refusing to use it"));
        Assert.That(await FailureOf(() => Host.WriteRecordAsync($"{System}/dir/{RecordName}", "x", default)),
            Is.EqualTo($"cannot write {System}/dir/{RecordName}: a directory stands there, not a file of ours"));
        Assert.That(await FailureOf(() => Host.WriteRecordAsync($"{System}/none/{RecordName}", "x", default)),
            Is.EqualTo($"cannot write {System}/none/{RecordName}: No such file or directory"));
        Assert.That(await FailureOf(() => Host.WriteRecordAsync($"{System}/ro/{RecordName}", "x", default)),
            Is.EqualTo($"cannot write {System}/ro/{RecordName}: Read-only file system"));
        Assert.That(world.Names(System), Is.EqualTo(new[] { RecordName, "dir", "links", "mnt", "ro", "sub" }), "no temporary file is left");
        Assert.That(world.Names($"{System}/dir"), Is.EqualTo(new[] { RecordName }), "nothing was written beside what stood in the way");
        Assert.That(world.Names($"{System}/dir/{RecordName}"), Is.Empty, "nor into it");
        Assert.That(world.Names($"{System}/links"), Is.EqualTo(new[] { RecordName }));
        Assert.That(await FailureOf(() => Host.CreateDirectoryAsync($"{System}/ro/dir", default)),
            Is.EqualTo($"IOException: Read-only file system : '{System}/ro/dir'"));
        Assert.That(world.Names($"{System}/ro"), Is.Empty);
    }

    [Test]
    public async Task A_transfer_sends_in_full_then_incrementally_into_read_only_backups_received_from_their_snapshots()
    {
        var source = $"{System}/sub";
        world.CreateSubvolume(source);
        world.WriteRandomFile($"{source}/big.bin", 1 << 20, seed: 1);
        world.CreateDirectory($"{System}/snaps");
        world.SnapshotReadOnly(source, $"{System}/snaps/s1");
        world.WriteFile($"{source}/small.txt", "new\n");
        world.SnapshotReadOnly(source, $"{System}/snaps/s2");
        var target = $"{world.BackupDisk}/t";
        world.CreateDirectory(target);

        var full = await Transfer($"{System}/snaps/s1", null, target);
        var incremental = await Transfer($"{System}/snaps/s2", $"{System}/snaps/s1", target);

        var first = world.Show($"{target}/s1")!;
        var second = world.Show($"{target}/s2")!;
        Assert.That((first.IsReadOnly, first.ReceivedUuid, first.ParentUuid), Is.EqualTo((true, (Guid?)world.Show($"{System}/snaps/s1")!.Uuid, (Guid?)null)));
        Assert.That((second.IsReadOnly, second.ReceivedUuid, second.ParentUuid), Is.EqualTo((true, (Guid?)world.Show($"{System}/snaps/s2")!.Uuid, (Guid?)first.Uuid)));
        Assert.That(world.Digests($"{target}/s2"), Is.EqualTo(world.Digests($"{System}/snaps/s2")));
        Assert.That(full.Bytes, Is.GreaterThanOrEqualTo(1 << 20));
        Assert.That(incremental.Bytes, Is.LessThan(full.Bytes / 10), "an incremental stream holds what changed");

        // The parent is found anywhere on the target's filesystem, by its Received UUID.
        world.CreateDirectory($"{world.BackupDisk}/elsewhere");
        await Transfer($"{System}/snaps/s2", $"{System}/snaps/s1", $"{world.BackupDisk}/elsewhere");
        Assert.That(world.Show($"{world.BackupDisk}/elsewhere/s2")!.ParentUuid, Is.EqualTo(first.Uuid));
    }

    [Test]
    public async Task A_transfer_fails_as_btrfs_send_and_receive_fail()
    {
        var source = $"{System}/sub";
        world.CreateSubvolume(source);
        world.CreateDirectory($"{System}/snaps");
        world.SnapshotReadOnly(source, $"{System}/snaps/s1");
        world.SnapshotReadOnly(source, $"{System}/snaps/s2");
        var target = $"{world.BackupDisk}/t";
        world.CreateDirectory(target);
        await Transfer($"{System}/snaps/s1", null, target);
        world.CreateDirectory($"{world.BackupDisk}/empty");

        Assert.That(await TransferFailure(source, null, target), Is.EqualTo(
            $"`btrfs send {source}` failed with exit code 1: ERROR: subvolume {source} is not read-only " +
            $"`btrfs receive {target}` failed with exit code 1: ERROR: empty stream is not considered valid"));
        Assert.That(await TransferFailure($"{System}/snaps/s1", null, $"{world.BackupDisk}/none"), Is.EqualTo(
            $"`btrfs receive {world.BackupDisk}/none` failed with exit code 1: ERROR: realpath({world.BackupDisk}/none) failed: No such file or directory"));
        Assert.That(await TransferFailure($"{System}/snaps/s1", null, world.Scratch), Is.EqualTo(
            $"`btrfs receive {world.Scratch}` failed with exit code 1: ERROR: {world.Scratch} doesn't belong to btrfs mount point"));
        Assert.That(await TransferFailure($"{System}/snaps/s1", null, target), Is.EqualTo(
            $"`btrfs receive {target}` failed with exit code 1: At subvol s1\nERROR: creating subvolume s1 failed: File exists"));
        world.MakeWritable($"{target}/s1");
        Assert.That(await TransferFailure($"{System}/snaps/s2", $"{System}/snaps/s1", $"{world.BackupDisk}/empty"), Is.EqualTo(
            $"`btrfs receive {world.BackupDisk}/empty` failed with exit code 1: ERROR: cannot find parent subvolume"),
            "the only backup of the parent was made writable, which cleared its Received UUID");
        Assert.That(world.Names($"{world.BackupDisk}/empty"), Is.Empty);
    }

    // A record's name as the tool keeps it (the legacy record of the last backup, a line of text).
    private const string RecordName = ".btrfsbackup-last-backup";

    /// <summary>The world the assertions run on, new for each test.</summary>
    internal abstract ScenarioWorld MakeWorld();

    // Received on the world's host, sent from its sender: the same host, but over ssh a push from this machine.
    private Task<TransferResult> Transfer(string snapshot, string? parent, string directory) =>
        world.Transfers.RunAsync(new TransferRequest(world.Sender, snapshot, parent, Host, directory), null, default);

    private async Task<string> TransferFailure(string snapshot, string? parent, string directory) =>
        // The real transfer reads and writes FIFOs (-f PATH) where a shell would pipe: not part of what btrfs said.
        FifoArgument().Replace(await FailureOf(() => Transfer(snapshot, parent, directory)), string.Empty);

    // The message of the failure, as a step's outcome would carry it (in the local host's wording: see ScenarioWorld.Normalize).
    private async Task<string> FailureOf(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is BackupException or IOException)
        {
            return world.Normalize(e is BackupException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }

        Assert.Fail("it did not fail");
        return string.Empty;
    }

    [GeneratedRegex(" -f [^ ]+")]
    private static partial Regex FifoArgument();
}

[TestFixture]
public sealed class ModelHostConformanceTests : HostConformanceTests
{
    internal override ScenarioWorld MakeWorld() => new ModelWorld();
}

[TestFixture]
[Category("RealBtrfs")]
public sealed class RealBtrfsHostConformanceTests : HostConformanceTests
{
    internal override ScenarioWorld MakeWorld() => new RealBtrfsWorld();
}

/// <summary>
/// The same on real btrfs reached through ssh (an sshd the world starts on 127.0.0.1): the host is an
/// <see cref="BtrfsBackup.Remote.SshBtrfsHost"/>, and transfers push from this machine into it.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("Ssh")]
public sealed class SshHostConformanceTests : HostConformanceTests
{
    internal override ScenarioWorld MakeWorld() => new SshBtrfsWorld();
}
