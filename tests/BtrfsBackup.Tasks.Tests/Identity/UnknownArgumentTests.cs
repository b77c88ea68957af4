using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// An argument the tool does not know (a misspelt `--dryrun`, `--pairs` for `--pair`) stops the run
/// before anything is touched, naming the argument and the one that was probably meant: ignored, it
/// would turn a dry run into a real purge, or a run of one pair into a run of all.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class UnknownArgumentTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly string[] BackDated = ["2026-10-30T03:00:00", "2026-10-31T03:00:00", "2026-11-01T03:00:00"];
    private TestPair home = null!;
    private string config = null!;

    // Three back-dated snapshots and keep_count = 1: a real purge would delete two of them.
    [SetUp]
    public void CreateAPairWhosePurgeWouldDeleteTwoSnapshots()
    {
        home = TestPair.Create(Sandbox, "home") with { SourceRetention = (0, 1) };
        config = TestPair.WriteConfig(Sandbox.Root, "backup_config.toml", home);
        foreach (var name in BackDated)
        {
            Subvolumes.SnapshotReadOnly(home.Source, Path.Combine(home.SnapshotDir, name));
        }
    }

    [Test]
    public void A_misspelt_dry_run_switch_stops_the_purge_and_suggests_the_right_one()
    {
        var result = Tool.Run(Sandbox, Now, Tool.Utc, config, "--target=purge", "--pair=home", "--dry-run");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero, "exit code");
            Assert.That(Tool.Lines(result, "--dry-run"), Is.Not.Empty, "a line names --dry-run");
            Assert.That(Tool.Lines(result, "did you mean --dryrun"), Is.Not.Empty, "a line says: did you mean --dryrun");
            Assert.That(Subvolumes.NamesIn(home.SnapshotDir), Is.EqualTo(BackDated), "nothing was purged");
        }
    }

    [Test]
    public void A_misspelt_pair_argument_stops_the_nightly_and_suggests_the_right_one()
    {
        var result = Tool.Run(Sandbox, Now, Tool.Utc, config, "--target=nightly", "--pairs=home");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero, "exit code");
            Assert.That(Tool.Lines(result, "--pairs"), Is.Not.Empty, "a line names --pairs");
            Assert.That(Tool.Lines(result, "did you mean --pair").Where(line => !line.Contains("did you mean --pairs", StringComparison.Ordinal)), Is.Not.Empty,
                "a line says: did you mean --pair");
            Assert.That(Subvolumes.NamesIn(home.SnapshotDir), Is.EqualTo(BackDated), "no snapshot was taken, none purged");
            Assert.That(Subvolumes.NamesIn(home.Target!), Is.Empty, "nothing was sent");
        }
    }
}
