using BtrfsBackup.Reporting;

namespace BtrfsBackup.Tests.Reporting;

/// <summary>
/// The metrics file: its text against <c>Reference/metrics/*.prom</c> at a fixed time, samples
/// carried over from the previous file, and the file replaced atomically, never through a symlink.
/// </summary>
[TestFixture]
public sealed class MetricsFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 3, 5, 0, TimeSpan.Zero);
    private static readonly string[] Configured = ["home", "broken", "laptop"];
    private ReportingFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new ReportingFolder();

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private static string Reference(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "metrics", name));

    [Test]
    public void Two_pairs_one_failing_with_a_previous_file_match_the_reference()
    {
        // broken keeps its last success from the previous file; laptop, not in this run, keeps every sample.
        var text = MetricsFile.Format(ThisRun(), Reference("previous.prom"), Configured, _ => null, Now);
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            File.WriteAllText(Path.Combine(Support.CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "metrics", "two-pairs-one-failing.prom"), text);
            Assert.Pass("reference updated: review the diff");
        }

        Assert.That(text, Is.EqualTo(Reference("two-pairs-one-failing.prom")));
    }

    [Test]
    public void Without_a_previous_file_the_last_success_comes_from_the_history()
    {
        var text = MetricsFile.Format(ThisRun(), null, Configured, pair => pair == "broken" ? new DateTimeOffset(2026, 10, 30, 3, 1, 0, TimeSpan.Zero) : null, Now);

        Assert.That(text, Does.Contain("\nbtrfsbackup_last_success_timestamp_seconds{pair=\"broken\"} 1793329260\n"));
        Assert.That(text, Does.Not.Contain("pair=\"laptop\""), "a pair neither this run nor the previous file knows has no samples");
    }

    [Test]
    public void A_previous_file_is_replaced_whole_with_mode_0644_and_a_leftover_temporary_file_does_not_matter()
    {
        File.WriteAllText(folder.Metrics, Reference("previous.prom"));
        var leftover = Path.Combine(folder.Root, ".btrfsbackup.prom.4242.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(leftover, "btrfsbackup_bytes_sent{pair=\"home\"} 99\n");

        MetricsFile.Write(folder.Metrics, ThisRun(), Configured, _ => null, Now);

        Assert.That(File.ReadAllText(folder.Metrics), Is.EqualTo(Reference("two-pairs-one-failing.prom")));
        Assert.That(Convert.ToString((int)File.GetUnixFileMode(folder.Metrics), 8), Is.EqualTo("644"), "node_exporter, not root, reads it");
        Assert.That(Directory.GetFiles(folder.Root).Select(Path.GetFileName), Is.EquivalentTo(new[] { "btrfsbackup.prom", Path.GetFileName(leftover) }), "no temporary file of this write is left");
    }

    [Test]
    public void A_symlink_at_the_path_is_refused_and_its_target_untouched()
    {
        var elsewhere = folder.PathOf("elsewhere");
        File.WriteAllText(elsewhere, "precious\n");
        File.CreateSymbolicLink(folder.Metrics, elsewhere);

        var error = Assert.Throws<BackupException>(() => MetricsFile.Write(folder.Metrics, ThisRun(), Configured, _ => null, Now));

        Assert.That(error!.Message, Is.EqualTo($"{folder.Metrics} is a symlink; the tool does not follow symlinks for its own files"));
        Assert.That(File.ReadAllText(elsewhere), Is.EqualTo("precious\n"));
        Assert.That(new FileInfo(folder.Metrics).LinkTarget, Is.EqualTo(elsewhere));
    }

    private static List<PairMetrics> ThisRun() =>
    [
        new(
            new RunRecord
            {
                Pair = "home",
                Started = new DateTimeOffset(2026, 11, 2, 4, 0, 0, TimeSpan.FromHours(1)),
                Ended = new DateTimeOffset(2026, 11, 2, 4, 2, 30, TimeSpan.FromHours(1)),
                Outcome = RunOutcomes.Succeeded,
                BytesSent = 123456789,
            },
            new DateTimeOffset(2026, 11, 2, 4, 0, 0, TimeSpan.FromHours(1))),
        new(
            new RunRecord
            {
                Pair = "broken",
                Started = new DateTimeOffset(2026, 11, 2, 4, 2, 30, TimeSpan.FromHours(1)),
                Ended = new DateTimeOffset(2026, 11, 2, 4, 2, 31, TimeSpan.FromHours(1)),
                Outcome = RunOutcomes.Failed,
                FailedStep = "Scan",
                Error = "source /srv/broken does not exist or is not a directory",
            },
            null),
    ];
}
