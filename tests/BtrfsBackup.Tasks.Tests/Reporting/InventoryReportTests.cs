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

    [Test]
    public void The_list_is_in_time_order_by_the_instant_in_the_name_also_after_a_purge_left_backups_whose_snapshots_are_gone()
    {
        // After a purge: the oldest snapshots are gone from the source, their backups stay on the
        // target; names in two offsets, so that text order and time order differ.
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-25T03:00:00+01:00", "2026-11-25T01:30:00+00:00", "2026-11-26T03:00:00+01:00")
            .BackupOf("2026-11-25T03:00:00+01:00").BackupOf("2026-11-25T01:30:00+00:00")
            .BackupOf("2026-11-20T03:00:00+01:00").BackupOf("2026-11-19T23:00:00-05:00").BackupOf("2026-11-22T03:00:00+01:00")
            .RecordedAsSent("2026-11-20T03:00:00+01:00", "2026-11-19T23:00:00-05:00", "2026-11-22T03:00:00+01:00")
            .Build();

        var names = InventoryReport.Format(inventory, Now).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("2026-", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[0])
            .ToList();

        Assert.That(names, Is.EqualTo(new[]
        {
            "2026-11-20T03:00:00+01:00",
            "2026-11-19T23:00:00-05:00",
            "2026-11-22T03:00:00+01:00",
            "2026-11-25T01:30:00+00:00",
            "2026-11-25T03:00:00+01:00",
            "2026-11-26T03:00:00+01:00",
        }));
    }

    private static string Row(string table, string name) =>
        table.Split('\n').First(line => line.TrimStart().StartsWith(name, StringComparison.Ordinal) && line.Contains("yes", StringComparison.Ordinal));
}

/// <summary><c>list --why</c>: the rule that keeps each snapshot and each backup, in the note.</summary>
public sealed class InventoryReportWhyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void With_why_each_kept_snapshot_and_backup_names_the_rule_that_keeps_it()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-15T03:00:00+00:00", "2026-11-16T03:00:00+00:00", "2026-11-24T03:00:00+00:00", "2026-11-25T03:00:00+00:00", "2026-11-26T03:00:00+00:00")
            .BackupOf("2026-11-15T03:00:00+00:00").BackupOf("2026-11-16T03:00:00+00:00").BackupOf("2026-11-24T03:00:00+00:00").BackupOf("2026-11-25T03:00:00+00:00")
            .SourceRetention(new BtrfsBackup.Configuration.RetentionPolicy(0, 1))
            .TargetRetention(new BtrfsBackup.Configuration.RetentionPolicy(0, 0) { KeepWeekly = 2 })
            .Build();

        var plain = InventoryReport.Format(inventory, Now, TimeZoneInfo.Utc, why: false);
        var why = InventoryReport.Format(inventory, Now, TimeZoneInfo.Utc, why: true);

        Assert.That(plain, Does.Not.Contain("keeps"));
        Assert.That(Row(why, "2026-11-16T03:00:00+00:00"), Does.EndWith(
            "next purge deletes it on the source (not among the newest 1); target keeps the backup: first of week 2026-W47 (keep_weekly = 2)"));
        Assert.That(Row(why, "2026-11-25T03:00:00+00:00"), Does.EndWith(
            "source keeps it: parent of the next incremental; target keeps the backup: newest at this location, parent of the next incremental"));
        Assert.That(Row(why, "2026-11-26T03:00:00+00:00"), Does.EndWith("source keeps it: newest at this location, not yet backed up, newest 1"));
        Assert.That(Row(why, "2026-11-24T03:00:00+00:00"), Does.EndWith("target keeps the backup: first of week 2026-W48 (keep_weekly = 2)"));
    }

    private static string Row(string table, string name) =>
        table.Split('\n').First(line => line.TrimStart().StartsWith(name, StringComparison.Ordinal)).TrimEnd();
}
