using BtrfsBackup.Linux;

namespace BtrfsBackup.Tests.Hosts;

/// <summary>
/// Lines of <c>/proc/self/mountinfo</c> read, and the mount a path is on picked from them: by the
/// mount ID the kernel gave (statx), or, only where the kernel gives none, by the mount points' paths.
/// </summary>
[TestFixture]
public sealed class MountInfoTests
{
    // The system disk at /; a backup disk at /mnt with a subvolume mounted at /mnt/deep; a tmpfs mounted over /mnt since.
    private static readonly IReadOnlyList<MountInfo> Mounts = MountInfo.Parse(
    [
        "20 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
        "30 20 0:30 / /mnt rw,relatime - btrfs /dev/loop0 rw,space_cache=v2,subvolid=5,subvol=/",
        "31 30 0:31 /home /mnt/deep rw,relatime - btrfs /dev/loop0 rw,subvolid=256,subvol=/home",
        "32 30 0:32 / /mnt rw,relatime - tmpfs none rw,size=1024k",
    ])!;

    [Test]
    public void With_the_kernels_mount_id_that_mount_is_the_answer_whatever_the_paths_say()
    {
        Assert.That(MountInfo.Pick(Mounts, "/mnt/deep/x", 30), Is.EqualTo(new MountInfo(30, "/mnt", "/", "btrfs")), "not the longer /mnt/deep");
        Assert.That(MountInfo.Pick(Mounts, "/mnt", 30), Is.EqualTo(new MountInfo(30, "/mnt", "/", "btrfs")), "not the tmpfs listed after it");
        Assert.That(MountInfo.Pick(Mounts, "/mnt/deep", 99), Is.Null, "a mount not listed (unmounted since) is not guessed from paths");
    }

    [Test]
    public void Without_a_mount_id_the_longest_mount_point_is_the_answer_and_of_equal_ones_the_last_listed()
    {
        Assert.That(MountInfo.Pick(Mounts, "/mnt/deep/x", null)!.Id, Is.EqualTo(31));
        Assert.That(MountInfo.Pick(Mounts, "/mnt/other", null)!.Id, Is.EqualTo(32));
        Assert.That(MountInfo.Pick(Mounts, "/mntx", null)!.Id, Is.EqualTo(20));
    }

    [Test]
    public void Mount_points_and_roots_with_escaped_characters_are_read_as_the_kernel_wrote_them()
    {
        var mounts = MountInfo.Parse(["40 20 0:40 /snap\\134shots /mnt/back\\040up\\011\U0001F600\\012disk rw - btrfs /dev/loop1 rw"])!;

        Assert.That(mounts, Is.EqualTo(new[] { new MountInfo(40, "/mnt/back up\t\U0001F600\ndisk", "/snap\\shots", "btrfs") }));
    }

    [TestCase("")]
    [TestCase("20 1 8:1 / / rw")]
    [TestCase("x 1 8:1 / / rw - ext4 /dev/sda1 rw")]
    [TestCase("20 1 8:1 / / rw shared:1 ext4 /dev/sda1 rw")]
    public void A_line_not_in_the_documented_form_makes_the_whole_table_unread(string line) =>
        Assert.That(MountInfo.Parse(["20 1 8:1 / / rw - ext4 /dev/sda1 rw", line]), Is.Null);
}
