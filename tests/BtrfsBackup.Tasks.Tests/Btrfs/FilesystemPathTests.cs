using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Tests.Btrfs;

[TestFixture]
public sealed class FilesystemPathTests
{
    private static readonly MountedFilesystem TopLevelAtRoot = new("/", "btrfs", "/", Guid.Empty);
    private static readonly MountedFilesystem HomeSubvolume = new("/home", "btrfs", "/@home", Guid.Empty);

    [TestCase("/", "")]
    [TestCase("/.snapshots/home", ".snapshots/home")]
    [TestCase("/srv/my src/.snaps", "srv/my src/.snaps")]
    public void With_the_top_level_mounted_paths_map_to_themselves_without_the_leading_slash(string realPath, string expected)
    {
        Assert.That(FilesystemPath.Of(realPath, TopLevelAtRoot), Is.EqualTo(expected));
    }

    [TestCase("/home", "@home")]
    [TestCase("/home/.snapshots", "@home/.snapshots")]
    [TestCase("/home/alice/it's here", "@home/alice/it's here")]
    public void With_a_subvolume_mounted_paths_map_through_its_root(string realPath, string expected)
    {
        Assert.That(FilesystemPath.Of(realPath, HomeSubvolume), Is.EqualTo(expected));
    }

    [Test]
    public void Matches_the_paths_btrfs_lists_for_a_subvolume_mounted_elsewhere()
    {
        // findmnt: target /tmp/bt/m2, fsroot /src; `btrfs subvolume list -o m2/.snaps` printed "path src/.snaps/x1".
        var mount = new MountedFilesystem("/tmp/bt/m2", "btrfs", "/src", Guid.Parse("a101980f-a58f-47d3-8694-b3afcbff3b46"));

        var directory = FilesystemPath.Of("/tmp/bt/m2/.snaps", mount);

        Assert.That(directory, Is.EqualTo("src/.snaps"));
        Assert.That(FilesystemPath.ParentOf("src/.snaps/x1"), Is.EqualTo(directory));
    }

    [TestCase("src/.snaps/x1", "src/.snaps", "x1")]
    [TestCase("my src/.snaps/2026-11-26T09:12:44-pre upgrade", "my src/.snaps", "2026-11-26T09:12:44-pre upgrade")]
    [TestCase("2026-11-26T03:00:00", "", "2026-11-26T03:00:00")]
    public void Splits_a_listed_path_into_parent_and_name(string fsPath, string parent, string name)
    {
        Assert.That(FilesystemPath.ParentOf(fsPath), Is.EqualTo(parent));
        Assert.That(FilesystemPath.NameOf(fsPath), Is.EqualTo(name));
    }
}
