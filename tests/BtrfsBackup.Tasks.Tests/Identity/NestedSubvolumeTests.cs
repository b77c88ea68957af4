using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// A subvolume nested in a source is not in its snapshots (btrfs stops at subvolume boundaries), so
/// its files are in no backup. The nightly run and `list` say so, unless the pair's
/// <c>ignore_nested</c> names it.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class NestedSubvolumeTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset Night = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private TestPair home = null!;
    private string nested = null!;

    [SetUp]
    public void CreateAPairWithANestedSubvolume()
    {
        home = TestPair.Create(Sandbox, "home");
        nested = BtrfsSandbox.CreateSubvolume(Path.Combine(home.Source, "projects"));
        File.WriteAllText(Path.Combine(nested, "plan.txt"), "not in any snapshot of home\n");
    }

    [Test]
    public void The_nightly_run_reports_a_nested_subvolume_as_not_in_the_backup()
    {
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);

        var result = Tool.Nightly(Sandbox, Night, config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code");
            Assert.That(Tool.Lines(result, $"{nested} is a nested subvolume"), Is.Not.Empty, $"a line says {nested} is a nested subvolume");
            Assert.That(Tool.Lines(result, "not in this backup"), Is.Not.Empty, "a line says it is not in this backup");
        }
    }

    [Test]
    public void List_reports_a_nested_subvolume_as_not_in_the_backup()
    {
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);

        var result = Tool.List(Sandbox, Night, config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code");
            Assert.That(Tool.Lines(result, $"{nested} is a nested subvolume"), Is.Not.Empty, $"a line says {nested} is a nested subvolume");
            Assert.That(Tool.Lines(result, "not in this backup"), Is.Not.Empty, "a line says it is not in this backup");
        }
    }

    [Test]
    public void A_nested_subvolume_named_in_ignore_nested_is_not_reported()
    {
        var config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home with { ExtraLines = [$"ignore_nested = [{ConfigFile.Quote(nested)}]"] });

        var result = Tool.Nightly(Sandbox, Night, config);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, "exit code");
            Assert.That(Tool.Lines(result, "is a nested subvolume"), Is.Empty, "no line warns that it is a nested subvolume");
            Assert.That(Tool.Lines(result, "not in this backup"), Is.Empty, "no line says it is not in this backup");
        }
    }
}
