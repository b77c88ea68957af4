using System.Text;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Reporting;

/// <summary>The readable table that the <c>list</c> target prints for a pair.</summary>
public static class InventoryReport
{
    /// <summary>The table for one pair; <paramref name="now"/> is the time retention is judged at ("what the next purge deletes").</summary>
    public static string Format(PairInventory inventory, DateTimeOffset now) => Format(inventory, now, TimeZoneInfo.Local, why: false);

    /// <summary>
    /// The table with retention's calendar periods in <paramref name="zone"/>; with <paramref name="why"/>
    /// (<c>list --why</c>), each snapshot's and backup's note also says which rule keeps it.
    /// </summary>
    public static string Format(PairInventory inventory, DateTimeOffset now, TimeZoneInfo zone, bool why)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var pair = inventory.Pair;
        var text = new StringBuilder();
        text.AppendLine($"Pair '{pair.Name}'");
        text.AppendLine($"  source        {pair.Source} (UUID {inventory.Source.Uuid})");
        text.AppendLine($"  snapshot_dir  {pair.SnapshotDir}: {Count(inventory.SnapshotDir.Snapshots.Count, "snapshot")}, retention {pair.SourceRetention?.ToString() ?? "none (never purged)"}");
        var targetLine = inventory.IsTargetReachable
            ? $"{pair.Target}: {Count(inventory.Target!.Snapshots.Count, "backup")}, retention {pair.TargetRetention?.ToString() ?? "none (never purged)"}"
            : inventory.TargetStatusReason;
        text.AppendLine($"  target        {targetLine}");

        var backups = new BackupIndex(inventory.Target);
        var parent = backups.NewestBackedUp(inventory.SnapshotDir.Snapshots);
        if (inventory.IsTargetReachable)
        {
            text.AppendLine($"  next parent   {parent?.Name.ToString() ?? "none: the next send is full"}");
        }

        foreach (var nested in inventory.NestedSubvolumes)
        {
            text.AppendLine($"  not in this backup: {nested} is a nested subvolume; add a pair for it or list it in ignore_nested");
        }

        var purge = RetentionPlanner.Plan(inventory, now, zone);
        var purged = purge.Source.Deletions.Concat(purge.Target.Deletions).ToDictionary(decision => decision.Snapshot.Path, decision => decision.Reason);
        var kept = why
            ? purge.Source.Decisions.Concat(purge.Target.Decisions).Where(decision => !decision.Delete).ToDictionary(decision => decision.Snapshot.Path, decision => decision.Reason)
            : [];
        var rows = Rows(inventory, backups, parent, purged, kept);
        if (rows.Count > 0)
        {
            var width = Math.Max("NAME".Length, rows.Max(row => row.Name.Length));
            text.AppendLine();
            text.AppendLine($"  {"NAME".PadRight(width)}  SOURCE  TARGET  NOTE");
            foreach (var row in rows)
            {
                text.AppendLine($"  {row.Name.PadRight(width)}  {row.Source,-6}  {row.Target,-6}  {row.Note}".TrimEnd());
            }
        }

        return text.ToString().TrimEnd();
    }

    private sealed record Row(string Name, string Source, string Target, string Note);

    private static List<Row> Rows(PairInventory inventory, BackupIndex backups, Snapshot? parent, Dictionary<string, string> purged, Dictionary<string, string> kept)
    {
        // Snapshots and backups whose snapshot is gone, together in time order; then what is left alone.
        var dated = new List<(Snapshot When, Row Row)>();
        var target = inventory.Target ?? SnapshotLocation.Empty(inventory.Pair.Target ?? string.Empty);
        var matchedBackups = new HashSet<Snapshot>();
        foreach (var snapshot in inventory.SnapshotDir.Snapshots)
        {
            var backup = backups.BackupOf(snapshot);
            if (backup is not null)
            {
                matchedBackups.Add(backup);
            }

            var notes = new List<string>();
            // With --why the parent is named among the reasons it is kept.
            if (snapshot == parent && !(kept.TryGetValue(snapshot.Path, out var reasons) && reasons.Contains("parent of the next incremental", StringComparison.Ordinal)))
            {
                notes.Add("parent of the next incremental");
            }

            if (kept.TryGetValue(snapshot.Path, out var keptBecause))
            {
                notes.Add($"source keeps it: {keptBecause}");
            }

            if (purged.TryGetValue(snapshot.Path, out var sourceReason))
            {
                notes.Add($"next purge deletes it on the source ({sourceReason})");
            }

            if (backup is not null && purged.TryGetValue(backup.Path, out var targetReason))
            {
                notes.Add($"next purge deletes the backup ({targetReason})");
            }

            if (backup is not null && kept.TryGetValue(backup.Path, out var backupKeptBecause))
            {
                notes.Add($"target keeps the backup: {backupKeptBecause}");
            }

            if (backup is null && inventory.HasBeenSent(snapshot))
            {
                notes.Add("sent before; its backup is gone from the target");
            }

            var targetCell = backup is not null ? "yes" : inventory.IsTargetReachable ? "-" : "?";
            dated.Add((snapshot, new Row(snapshot.Name.ToString(), "yes", targetCell, string.Join("; ", notes))));
        }

        dated.AddRange(target.Snapshots
            .Where(backup => !matchedBackups.Contains(backup))
            .Select(backup => (backup, new Row(
                backup.Name.ToString(),
                "-",
                "yes",
                purged.TryGetValue(backup.Path, out var reason)
                    ? $"backup only (its source snapshot is gone); next purge deletes it ({reason})"
                    : kept.TryGetValue(backup.Path, out var keptReason)
                        ? $"backup only (its source snapshot is gone); target keeps it: {keptReason}"
                        : "backup only (its source snapshot is gone)"))));
        var rows = dated.OrderBy(entry => entry.When, Snapshot.Chronological).Select(entry => entry.Row).ToList();
        rows.AddRange(target.Incomplete.Select(subvolume => new Row(subvolume.Name, string.Empty, "!", "unfinished receive of this tool: deleted by the next send")));
        rows.AddRange(target.Writable.Select(subvolume => new Row(subvolume.Name, string.Empty, "!", "writable: not a backup, left alone")));
        rows.AddRange(inventory.SnapshotDir.Foreign.Select(foreign => new Row(foreign.Name, "*", string.Empty, $"foreign: {foreign.Reason}, left alone")));
        rows.AddRange(target.Foreign.Select(foreign => new Row(foreign.Name, string.Empty, "*", $"foreign: {foreign.Reason}, left alone")));
        return rows;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
