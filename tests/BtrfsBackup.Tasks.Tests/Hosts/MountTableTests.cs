using BtrfsBackup.Btrfs;
using BtrfsBackup.Linux;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Hosts;

/// <summary>The mount table read in process answers as <c>findmnt --target</c> does, for every path it answers at all.</summary>
[TestFixture]
public sealed class MountTableTests : RealBtrfsFixture
{
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

    private static async Task<MountedFilesystem> Findmnt(string path) =>
        FindmntParser.Parse(path, await BtrfsBackup.Hosts.ProcessRunner.RunAsync("findmnt", ["-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", path], default));
}
