using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Tests.Btrfs;

[TestFixture]
public sealed class FilesystemPathTests
{
    private static readonly MountedFilesystem TopLevelAtRoot = new("/", "btrfs", "/", Guid.Empty);
    private static readonly MountedFilesystem TopLevelElsewhere = new("/mnt/pool", "btrfs", "/", Guid.Empty);
    private static readonly MountedFilesystem HomeSubvolume = new("/home", "btrfs", "/@home", Guid.Empty);

    [TestCase(".snapshots/home", "/.snapshots/home")]
    [TestCase("srv/my src/.snaps", "/srv/my src/.snaps")]
    public void With_the_top_level_mounted_at_the_root_listed_paths_are_absolute_paths(string fsPath, string expected)
    {
        Assert.That(FilesystemPath.ToMountedPath(fsPath, TopLevelAtRoot), Is.EqualTo(expected));
    }

    [TestCase("src", "/mnt/pool/src")]
    [TestCase("src/.snaps/2026-11-26T09:12:44-pre upgrade", "/mnt/pool/src/.snaps/2026-11-26T09:12:44-pre upgrade")]
    public void With_the_top_level_mounted_elsewhere_listed_paths_are_below_the_mount(string fsPath, string expected)
    {
        Assert.That(FilesystemPath.ToMountedPath(fsPath, TopLevelElsewhere), Is.EqualTo(expected));
    }

    [TestCase("@home", "/home")]
    [TestCase("@home/.snapshots", "/home/.snapshots")]
    [TestCase("@home/alice/it's here", "/home/alice/it's here")]
    public void With_a_subvolume_mounted_listed_paths_map_through_its_root(string fsPath, string expected)
    {
        Assert.That(FilesystemPath.ToMountedPath(fsPath, HomeSubvolume), Is.EqualTo(expected));
    }

    [TestCase("@")]
    [TestCase("@homework")]
    [TestCase("@root/.snapshots/x")]
    public void Subvolumes_outside_the_mounted_one_are_not_reachable_through_it(string fsPath)
    {
        Assert.That(FilesystemPath.ToMountedPath(fsPath, HomeSubvolume), Is.Null);
    }

    [Test]
    public void Matches_the_paths_btrfs_lists_for_a_subvolume_mounted_elsewhere()
    {
        // findmnt: target /tmp/bt/m2, fsroot /src; `btrfs subvolume list` printed "path src/.snaps/x1".
        var mount = new MountedFilesystem("/tmp/bt/m2", "btrfs", "/src", Guid.Parse("a101980f-a58f-47d3-8694-b3afcbff3b46"));

        Assert.That(FilesystemPath.ToMountedPath("src/.snaps/x1", mount), Is.EqualTo("/tmp/bt/m2/.snaps/x1"));
    }
}
