using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Hosts;

/// <summary>
/// The mount table read in process answers as <c>findmnt --target</c> does, for every path it answers
/// at all; where mounts are stacked, it names the mount the kernel says the path is on, never one
/// hidden under it; and nothing planted at the path (a FIFO) makes it hang.
/// </summary>
[TestFixture]
public sealed class MountTableTests : RealBtrfsFixture
{
    // Where the test mounted something, in order: unmounted newest first, by mount point (which takes the top of a stack).
    private readonly List<string> mountedHere = [];

    [TearDown]
    public void UnmountWhatTheTestMounted()
    {
        foreach (var mountPoint in Enumerable.Reverse(mountedHere))
        {
            if (Shell.TryRun("umount", mountPoint).ExitCode != 0)
            {
                Shell.TryRun("umount", "-l", mountPoint);
            }
        }

        mountedHere.Clear();
    }

    [Test]
    public async Task A_path_on_btrfs_gets_findmnts_mount_point_type_root_and_uuid()
    {
        var subvolume = BtrfsSandbox.CreateSubvolume(Path.Combine(Sandbox.Filesystems[0].MountPoint, "home"));
        var folder = Directory.CreateDirectory(Path.Combine(subvolume, "deep", "er")).FullName;
        var link = Path.Combine(Sandbox.Filesystems[0].MountPoint, "link");
        File.CreateSymbolicLink(link, Sandbox.Filesystems[1].MountPoint);
        foreach (var path in new[] { Sandbox.Filesystems[0].MountPoint, subvolume, folder, Sandbox.Filesystems[1].MountPoint, link })
        {
            Assert.That(MountTable.Find(path), Is.EqualTo(await Findmnt(path)), path);
        }
    }

    [Test]
    public void A_path_not_on_btrfs_or_not_there_is_left_to_findmnt()
    {
        Assert.That(MountTable.Find("/proc"), Is.Null);
        Assert.That(MountTable.Find(Path.Combine(Sandbox.Filesystems[0].MountPoint, "none")), Is.Null);
    }

    [Test]
    public async Task A_mount_point_with_mounts_stacked_on_it_is_on_the_top_one_even_when_that_one_is_listed_first()
    {
        var (lower, upper) = (Sandbox.Filesystems[0], Sandbox.Filesystems[1]);
        var stackPoint = lower.MountPoint;
        var upperUuid = (await Findmnt(upper.MountPoint)).Uuid;
        Directory.CreateDirectory(Path.Combine(upper.MountPoint, "only-upper"));

        Mount(stackPoint, upper.Device);
        var onTop = new MountedFilesystem(stackPoint, "btrfs", "/", upperUuid);
        Assert.That(MountTable.Find(stackPoint), Is.EqualTo(onTop));
        Assert.That(MountTable.Find(Path.Combine(stackPoint, "only-upper")), Is.EqualTo(onTop));

        // The upper btrfs mounted once more, elsewhere (under a private tmpfs: a mount may only be moved
        // from under one that is not shared), then a tmpfs stacked on top, then the upper moved onto
        // the stack: on top, and listed before the tmpfs, which is younger.
        var staging = Directory.CreateDirectory(Path.Combine(Sandbox.Root, "staging")).FullName;
        Mount(staging, "--make-private", "-t", "tmpfs", "-o", "size=1m", "btrfsbackup-test");
        var moving = Directory.CreateDirectory(Path.Combine(staging, "upper")).FullName;
        Mount(moving, upper.Device);
        Mount(stackPoint, "-t", "tmpfs", "-o", "size=1m", "btrfsbackup-test");
        Assert.That(MountTable.Find(stackPoint), Is.Null, "a tmpfs on top is findmnt's to name, never the btrfs under it");

        Shell.Run("mount", "--move", moving, stackPoint);
        mountedHere[mountedHere.LastIndexOf(moving)] = stackPoint;

        var listed = MountInfo.Parse(File.ReadLines("/proc/self/mountinfo"))!.Where(mount => mount.MountPoint == stackPoint).Select(mount => mount.Type);
        Assert.That(listed, Is.EqualTo(new[] { "btrfs", "btrfs", "btrfs", "tmpfs" }), "the moved mount is listed before the tmpfs it is stacked on");
        Assert.That(MountTable.Find(stackPoint), Is.EqualTo(onTop));
        Assert.That(MountTable.Find(Path.Combine(stackPoint, "only-upper")), Is.EqualTo(onTop));
    }

    [Test]
    public async Task A_path_into_a_folder_hidden_by_a_mount_over_a_folder_above_it_is_on_that_mount_never_on_the_hidden_one()
    {
        var (lower, upper) = (Sandbox.Filesystems[0], Sandbox.Filesystems[1]);
        var lowerUuid = (await Findmnt(lower.MountPoint)).Uuid;
        var upperUuid = (await Findmnt(upper.MountPoint)).Uuid;
        BtrfsSandbox.CreateSubvolume(Path.Combine(lower.MountPoint, "home"));
        var hidden = Directory.CreateDirectory(Path.Combine(lower.MountPoint, "hidden")).FullName;
        var onlyLower = Directory.CreateDirectory(Path.Combine(lower.MountPoint, "only-lower")).FullName;
        Directory.CreateDirectory(Path.Combine(upper.MountPoint, "hidden"));
        Mount(hidden, "-o", "subvol=home", lower.Device);
        Assert.That(MountTable.Find(hidden), Is.EqualTo(new MountedFilesystem(hidden, "btrfs", "/home", lowerUuid)), "before anything is mounted over it");

        Mount(lower.MountPoint, upper.Device);

        var onTop = new MountedFilesystem(lower.MountPoint, "btrfs", "/", upperUuid);
        Assert.That(MountTable.Find(hidden), Is.EqualTo(onTop), "the upper filesystem's own folder, not the subvolume mounted in the hidden one");
        Assert.That(MountTable.Find(onlyLower), Is.Null, "a folder only the hidden filesystem has is not there at all");
        Assert.That(MountTable.Find(lower.MountPoint), Is.EqualTo(onTop));
    }

    [Test]
    public async Task A_FIFO_where_a_mount_point_is_asked_about_is_refused_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(Sandbox.Filesystems[0].MountPoint, "fifo");
        Shell.Run("mkfifo", fifo);
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var finding = Task.Factory.StartNew(() => MountTable.Find(fifo), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            Assert.That(await finding.WaitAsync(hangGuard.Token), Is.Null, "not a folder: findmnt's to answer");
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"MountTable.Find({fifo}) opened the FIFO and waits for a writer");
        }
        finally
        {
            ReleaseReaderOf(fifo, finding);
        }

        Assert.That(
            await LocalBtrfsHost.Instance.FindFilesystemAsync(fifo, hangGuard.Token),
            Is.EqualTo(await Findmnt(Sandbox.Filesystems[0].MountPoint)),
            "the host's answer, through findmnt, is the FIFO's filesystem");
    }

    private void Mount(string mountPoint, params string[] arguments)
    {
        Shell.Run("mount", [.. arguments, mountPoint]);
        mountedHere.Add(mountPoint);
    }

    // A reader blocked in open(2) on a FIFO returns once a writer opens it.
    private static void ReleaseReaderOf(string fifo, Task reader)
    {
        if (!reader.IsCompleted && NativeMethods.Open(fifo, NativeMethods.WriteOnly | NativeMethods.NonBlocking) is var writer and >= 0)
        {
            NativeMethods.Close(writer);
        }
    }

    private static async Task<MountedFilesystem> Findmnt(string path) =>
        FindmntParser.Parse(path, await ProcessRunner.RunAsync("findmnt", ["-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", path], default));
}
