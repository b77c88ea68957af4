using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>Valid but odd inputs through the btrfsbackup program: paths full of odd characters, a loosely written pair list.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class ValidOddInputEndToEndTests : RealBtrfsFixture
{
    // Spaces, both quotes, a backslash, non-ASCII letters and shell syntax: nothing goes through a shell.
    private const string Odd = "my \"odd\" 'dir' \\ café €, $HOME;*&`id`(1)";

    [Test]
    public async Task Paths_with_spaces_quotes_unicode_and_shell_characters_snapshot_send_and_list_end_to_end()
    {
        var system = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[0].MountPoint, $"system {Odd}")).FullName;
        var source = BtrfsSandbox.CreateSubvolume(Path.Combine(system, $"home {Odd}"));
        File.WriteAllText(Path.Combine(source, $"file {Odd}.txt"), "odd\n");
        var target = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[1].MountPoint, $"backup {Odd}")).FullName;
        var pair = new BackupPair("odd", source, Path.Combine(system, $"snapshots {Odd}"), target, null, null);
        var config = ConfigFile.Write(Sandbox.Root, pair);

        var snapshot = Cake("--target=snapshot", "--pair=odd", "--suffix=first", $"--config={config}");
        var backup = Cake("--target=backup", "--pair=odd", $"--config={config}");
        var list = Cake("--target=list", $"--config={config}");

        Assert.That(snapshot.ExitCode, Is.Zero, snapshot.ToString());
        Assert.That(backup.ExitCode, Is.Zero, backup.ToString());
        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        var inventory = await Scans.OfAsync(pair);
        var name = inventory.SnapshotDir.Snapshots.Single().Name.ToString();
        Assert.That(name, Does.EndWith("-first"));
        Assert.That(snapshot.Output, Does.Contain($"created snapshot {pair.SnapshotDir}/{name}"));
        Assert.That(backup.Output, Does.Contain($"sent {name} (full): "));
        Assert.That(inventory.Target!.Snapshots.Single().ReceivedUuid, Is.EqualTo(inventory.SnapshotDir.Snapshots.Single().Uuid));
        Assert.That(File.ReadAllText(Path.Combine(target, name, $"file {Odd}.txt")), Is.EqualTo("odd\n"));
        Assert.That(list.Output, Does.Contain($"  source        {source} (UUID {inventory.Source.Uuid})"));
        Assert.That(list.Output, Does.Contain($"  snapshot_dir  {pair.SnapshotDir}: 1 snapshot, retention none (never purged)"));
        Assert.That(list.Output, Does.Contain($"  target        {target}: 1 backup, retention none (never purged)"));
        Assert.That(list.Output, Does.Contain($"  {name}  yes     yes     parent of the next incremental"));
    }

    [Test]
    public async Task A_pair_list_with_spaces_a_repeated_name_and_an_empty_entry_selects_each_named_pair_once()
    {
        var home = PairLayout.Create(Sandbox, "home", withTarget: false);
        var root = PairLayout.Create(Sandbox, "root", withTarget: false);
        var config = ConfigFile.Write(Sandbox.Root, home, root);

        var result = Cake("--target=snapshot", "--pair= home ,home,,", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That((await Scans.OfAsync(home)).SnapshotDir.Snapshots, Has.Count.EqualTo(1));
        Assert.That(Directory.Exists(root.SnapshotDir), Is.False, "root was not named");
        Assert.That(result.Output, Does.Match(@"Snapshot:home\s+\S+\s+Succeeded"));
        Assert.That(result.Output, Does.Not.Contain("Scan:root"));
    }
}
