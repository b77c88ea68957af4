using BtrfsBackup.Reporting;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Reporting;

public sealed class InventoryReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_list_shows_backups_the_parent_what_the_next_purge_deletes_and_what_is_left_alone_and_why()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-20T03:00:00", "2026-11-24T03:00:00", "2026-11-25T03:00:00", "2026-11-26T03:00:00")
            .BackupOf("2026-11-20T03:00:00").BackupOf("2026-11-24T03:00:00").BackupOf("2026-11-25T03:00:00")
            .IncompleteReceive("2026-11-26T03:00:00")
            .WritableOnTarget("2026-11-01T03:00:00-restored")
            .ForeignInSnapshotDir("manual")
            .SourceRetention(keepDays: 0, keepCount: 2)
            .TargetRetention(keepDays: 0, keepCount: 2)
            .Build();

        var table = InventoryReport.Format(inventory, Now);

        Assert.That(table, Does.Contain("  next parent   2026-11-25T03:00:00"));
        Assert.That(Row(table, "2026-11-20T03:00:00"), Does.Match(@"yes\s+yes\s+next purge deletes it on the source \(not among the newest 2\); next purge deletes the backup \(not among the newest 2\)"));
        Assert.That(Row(table, "2026-11-24T03:00:00"), Does.Contain("next purge deletes it on the source"));
        Assert.That(Row(table, "2026-11-25T03:00:00"), Does.Match(@"yes\s+yes\s+parent of the next incremental$"));
        Assert.That(Row(table, "2026-11-26T03:00:00"), Does.Match(@"yes\s+-\s*$"));
        Assert.That(table, Does.Match(@"2026-11-26T03:00:00\s+!\s+unfinished receive of this tool: deleted by the next send"));
        Assert.That(table, Does.Match(@"2026-11-01T03:00:00-restored\s+!\s+writable: not a backup, left alone"));
        Assert.That(table, Does.Match(@"manual\s+\*\s+foreign: not a snapshot name, left alone"));
    }

    private static string Row(string table, string name) =>
        table.Split('\n').First(line => line.TrimStart().StartsWith(name, StringComparison.Ordinal) && line.Contains("yes", StringComparison.Ordinal));
}
