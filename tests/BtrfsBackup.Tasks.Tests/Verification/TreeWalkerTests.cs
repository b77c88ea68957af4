using BtrfsBackup.Linux;
using BtrfsBackup.Tests.Support;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Tests.Verification;

/// <summary>The tree walk verify reads both sides with, on a real btrfs subvolume.</summary>
[TestFixture]
[Category("RealBtrfs")]
public sealed class TreeWalkerTests : RealBtrfsFixture
{
    protected override int FilesystemCount => 1;

    [Test]
    public void A_tree_deeper_than_PATH_MAX_is_read_whole_with_the_data_link_and_fifo_at_its_bottom()
    {
        var root = Path.Combine(Sandbox.Filesystems[0].MountPoint, "deep");
        Shell.Run("btrfs", "subvolume", "create", root);
        File.WriteAllText(Path.Combine(root, "top.txt"), "deep");
        // 45 folders of 99 characters: 4500 bytes below the root, past PATH_MAX (4096); made a step at a time.
        Shell.Run("bash", "-c", "cd \"$1\" && n=$(printf 'd%.0s' {1..99}) && for i in {1..45}; do mkdir \"$n\" && cd \"$n\" || exit 1; done && printf deep > file.txt && ln -s file.txt link && mkfifo pipe", "bash", root);

        var tree = TreeWalker.Read(root, withContent: true, CancellationToken.None);

        var bottom = string.Join('/', Enumerable.Repeat(new string('d', 99), 45));
        Assert.That(bottom, Has.Length.GreaterThan(4096));
        Assert.That(tree.Entries, Has.Count.EqualTo(1 + 1 + 45 + 3), string.Join('\n', tree.Entries.Keys.Select(key => key.Length > 60 ? $"...{key[^60..]}" : key)));
        var file = tree.Entries[$"{bottom}/file.txt"];
        Assert.That(file.Kind, Is.EqualTo(FileKind.RegularFile));
        Assert.That(file.Size, Is.EqualTo(4));
        Assert.That(file.Checksum, Is.Not.Null.And.EqualTo(tree.Entries["top.txt"].Checksum), "the same four bytes read at the bottom as at the top");
        Assert.That(tree.Entries[$"{bottom}/link"].SymlinkTarget, Is.EqualTo("file.txt"));
        Assert.That(tree.Entries[$"{bottom}/pipe"].Kind, Is.EqualTo(FileKind.Fifo));
        Assert.That(tree.Entries[bottom].Kind, Is.EqualTo(FileKind.Directory));
    }
}
