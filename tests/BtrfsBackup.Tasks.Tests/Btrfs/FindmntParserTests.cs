using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Tests.Btrfs;

/// <summary>Literal output of <c>findmnt -J -n -o TARGET,FSTYPE,FSROOT,UUID --target PATH</c> (util-linux 2.38).</summary>
[TestFixture]
public sealed class FindmntParserTests
{
    [Test]
    public void Reads_a_subvolume_mount()
    {
        const string Json = """{"filesystems": [{"target": "/tmp/bt/m2","fstype": "btrfs","fsroot": "/src","uuid": "a101980f-a58f-47d3-8694-b3afcbff3b46"}]}""";

        var mount = FindmntParser.Parse("/tmp/bt/m2/.snaps", Json);

        Assert.That(mount, Is.EqualTo(new MountedFilesystem("/tmp/bt/m2", "btrfs", "/src", Guid.Parse("a101980f-a58f-47d3-8694-b3afcbff3b46"))));
        Assert.That(mount.IsBtrfs, Is.True);
    }

    [Test]
    public void Reads_the_pretty_printed_form()
    {
        const string Json = """
            {
               "filesystems": [
                  {
                     "target": "/tmp/helper/ma",
                     "fstype": "btrfs",
                     "fsroot": "/",
                     "uuid": "5e82bd2e-516d-4686-83c3-b444176be246"
                  }
               ]
            }
            """;

        var mount = FindmntParser.Parse("/tmp/helper/ma/my src/.snaps", Json);

        Assert.That(mount, Is.EqualTo(new MountedFilesystem("/tmp/helper/ma", "btrfs", "/", Guid.Parse("5e82bd2e-516d-4686-83c3-b444176be246"))));
    }

    [Test]
    public void A_filesystem_without_uuid_has_none()
    {
        const string Json = """{"filesystems": [{"target": "/tmp","fstype": "tmpfs","fsroot": "/","uuid": null}]}""";

        var mount = FindmntParser.Parse("/tmp/x", Json);

        Assert.That(mount.Uuid, Is.Null);
        Assert.That(mount.Type, Is.EqualTo("tmpfs"));
        Assert.That(mount.IsBtrfs, Is.False);
    }

    [Test]
    public void No_filesystem_is_an_error_naming_the_path()
    {
        Assert.That(
            () => FindmntParser.Parse("/nowhere", """{"filesystems": []}"""),
            Throws.TypeOf<BackupException>().With.Message.EqualTo("findmnt found no mount for /nowhere."));
    }

    [Test]
    public void Filesystems_are_the_same_only_when_both_are_btrfs_with_one_uuid()
    {
        var uuid = Guid.Parse("a101980f-a58f-47d3-8694-b3afcbff3b46");
        var source = new MountedFilesystem("/", "btrfs", "/@", uuid);
        var sameDiskOtherSubvolume = new MountedFilesystem("/home", "btrfs", "/@home", uuid);
        var backupDisk = new MountedFilesystem("/mnt/backup", "btrfs", "/", Guid.Parse("5e82bd2e-516d-4686-83c3-b444176be246"));
        var unknownUuid = new MountedFilesystem("/mnt/x", "btrfs", "/", null);

        Assert.That(source.IsSameFilesystemAs(sameDiskOtherSubvolume), Is.True);
        Assert.That(source.IsSameFilesystemAs(backupDisk), Is.False);
        Assert.That(unknownUuid.IsSameFilesystemAs(unknownUuid), Is.False);
        Assert.That(new MountedFilesystem("/a", "ext4", "/", uuid).IsSameFilesystemAs(source), Is.False);
    }
}
