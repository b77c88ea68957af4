using BtrfsBackup.Btrfs;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Btrfs;

[TestFixture]
public sealed class ShellQuotingTests
{
    [TestCase("subvolume", "subvolume")]
    [TestCase("-r", "-r")]
    [TestCase("/.snapshots/home/2026-11-26T09:12:44-pre-upgrade", "/.snapshots/home/2026-11-26T09:12:44-pre-upgrade")]
    [TestCase("/mnt/my src", "'/mnt/my src'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("'", "''\\'''")]
    [TestCase("", "''")]
    [TestCase("a\"b", "'a\"b'")]
    [TestCase("$HOME", "'$HOME'")]
    [TestCase("*", "'*'")]
    [TestCase("a;b", "'a;b'")]
    [TestCase("café", "'café'")]
    public void Quotes_only_what_a_shell_would_misread(string argument, string expected)
    {
        Assert.That(ShellQuoting.Quote(argument), Is.EqualTo(expected));
    }

    [Test]
    public void Renders_a_command_line()
    {
        var line = ShellQuoting.Render("btrfs", ["subvolume", "snapshot", "-r", "/srv/my src", "/srv/.snaps/it's 2026-11-26T03:00:00"]);

        Assert.That(line, Is.EqualTo("btrfs subvolume snapshot -r '/srv/my src' '/srv/.snaps/it'\\''s 2026-11-26T03:00:00'"));
    }

    [Test]
    public async Task A_shell_reads_the_quoted_arguments_back_unchanged()
    {
        string[] arguments = ["/srv/my src", "it's", "a\"b", "$HOME", "*", "", "tab\there", "new\nline", "back\\slash", "plain"];
        var script = "printf '%s\\0' " + string.Join(' ', arguments.Select(ShellQuoting.Quote));

        var output = await Shell.RunAsync("sh", ["-c", script]);

        Assert.That(output.Split('\0')[..^1], Is.EqualTo(arguments));
    }

    [Test]
    public void A_btrfs_command_shows_exactly_its_arguments()
    {
        var command = BtrfsCommand.CreateReadOnlySnapshot("/srv/my src", "/srv/.snaps/2026-11-26T03:00:00");

        Assert.That(command.Arguments, Is.EqualTo(new[] { "subvolume", "snapshot", "-r", "/srv/my src", "/srv/.snaps/2026-11-26T03:00:00" }));
        Assert.That(command.ToString(), Is.EqualTo("btrfs subvolume snapshot -r '/srv/my src' /srv/.snaps/2026-11-26T03:00:00"));
    }

    [Test]
    public void Btrfs_commands_are_built_as_documented()
    {
        Assert.That(BtrfsCommand.DeleteSubvolume("/s/x").ToString(), Is.EqualTo("btrfs subvolume delete /s/x"));
        Assert.That(BtrfsCommand.ShowSubvolume("/s/x").ToString(), Is.EqualTo("btrfs subvolume show /s/x"));
        Assert.That(BtrfsCommand.ListSubvolumes("/s", readOnlyOnly: false).ToString(), Is.EqualTo("btrfs subvolume list -g -c -u -q -R /s"));
        Assert.That(BtrfsCommand.ListSubvolumes("/s", readOnlyOnly: true).ToString(), Is.EqualTo("btrfs subvolume list -g -c -u -q -R -r /s"));
    }

    [Test]
    public void Btrfs_commands_are_equal_by_their_arguments()
    {
        var one = BtrfsCommand.DeleteSubvolume("/s/x");
        var same = new BtrfsCommand(new List<string> { "subvolume", "delete", "/s/x" });
        var other = BtrfsCommand.DeleteSubvolume("/s/y");

        Assert.That(one, Is.EqualTo(same));
        Assert.That(one.GetHashCode(), Is.EqualTo(same.GetHashCode()));
        Assert.That(one, Is.Not.EqualTo(other));
    }
}
