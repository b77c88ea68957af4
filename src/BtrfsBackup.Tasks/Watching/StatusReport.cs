using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BtrfsBackup.Watching;

/// <summary>
/// The <c>status</c> target's report: one line per pair (newest snapshot age, newest backup age,
/// stale or not, last run), or the same as JSON (schema in docs/contract.md).
/// </summary>
internal static class StatusReport
{
    public static string Text(IReadOnlyList<PairStatus> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var rows = pairs.Select(Row).Prepend(["PAIR", "SNAPSHOT AGE", "BACKUP AGE", "STATE", "LAST RUN"]).ToList();
        var widths = Enumerable.Range(0, 4).Select(column => rows.Max(row => row[column].Length)).ToList();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => column < 4 ? cell.PadRight(widths[column]) : cell)).TrimEnd());
        }

        return text.ToString().TrimEnd();
    }

    public static string Json(IReadOnlyList<PairStatus> pairs) => JsonReport.Write(writer =>
    {
        ArgumentNullException.ThrowIfNull(pairs);
        writer.WriteStartObject();
        writer.WriteNumber("schema_version", JsonReport.SchemaVersion);
        writer.WriteString("report", "status");
        writer.WriteStartArray("pairs");
        foreach (var pair in pairs)
        {
            WritePair(writer, pair);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>An age as people read it at a glance: "45s", "12m", "5h 3m", "9d 4h"; "never" for none.</summary>
    public static string Age(TimeSpan? age)
    {
        if (age is not { } value)
        {
            return "never";
        }

        if (value < TimeSpan.Zero)
        {
            return "in the future";
        }

        var invariant = CultureInfo.InvariantCulture;
        return value.TotalMinutes < 1 ? string.Create(invariant, $"{(int)value.TotalSeconds}s")
            : value.TotalHours < 1 ? string.Create(invariant, $"{(int)value.TotalMinutes}m")
            : value.TotalDays < 1 ? string.Create(invariant, $"{(int)value.TotalHours}h {value.Minutes}m")
            : string.Create(invariant, $"{(int)value.TotalDays}d {value.Hours}h");
    }

    private static string[] Row(PairStatus pair)
    {
        var lastRun = pair.LastRun is { } run
            ? $"{run.Outcome} {run.Ended.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}"
            : "unknown";
        if (pair.Freshness is not { } freshness)
        {
            return [pair.Pair, "?", "?", $"FAILED: {pair.Failure}", lastRun];
        }

        var backup = Age(freshness.NewestBackupAge) + (freshness.Evidence == BackupEvidence.SourceRecord ? " (recorded)" : string.Empty);
        var state = freshness.IsStale ? $"STALE (alert_after_days = {freshness.AlertAfterDays})"
            : freshness.AlertAfterDays is null ? "ok (no alarm)"
            : "ok";
        return [pair.Pair, Age(freshness.NewestSnapshotAge), backup, state, lastRun];
    }

    private static void WritePair(Utf8JsonWriter writer, PairStatus pair)
    {
        var freshness = pair.Freshness;
        writer.WriteStartObject();
        writer.WriteString("pair", pair.Pair);
        JsonReport.Instant(writer, "now", freshness?.Now);
        JsonReport.StringOrNull(writer, "target_status", pair.TargetStatus is { } status ? JsonReport.TargetStatusName(status) : null);
        JsonReport.StringOrNull(writer, "target_status_reason", pair.TargetStatusReason);
        JsonReport.Instant(writer, "newest_snapshot_at", freshness?.NewestSnapshot);
        JsonReport.Seconds(writer, "newest_snapshot_age_seconds", freshness?.NewestSnapshotAge);
        JsonReport.Instant(writer, "newest_backup_at", freshness?.NewestBackup);
        JsonReport.Seconds(writer, "newest_backup_age_seconds", freshness?.NewestBackupAge);
        JsonReport.StringOrNull(writer, "newest_backup_from", freshness is null ? null : JsonReport.EvidenceName(freshness.Evidence));
        JsonReport.Instant(writer, "oldest_snapshot_at", freshness?.OldestSnapshot);
        JsonReport.NumberOrNull(writer, "alert_after_days", freshness?.AlertAfterDays);
        writer.WriteBoolean("stale", freshness?.IsStale == true);
        JsonReport.StringOrNull(writer, "stale_reason", freshness?.StaleReason);
        JsonReport.StringOrNull(writer, "error", pair.Failure);
        if (pair.LastRun is { } run)
        {
            writer.WriteStartObject("last_run");
            writer.WriteString("outcome", run.Outcome);
            JsonReport.Instant(writer, "started_at", run.Started);
            JsonReport.Instant(writer, "ended_at", run.Ended);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("last_run");
        }

        writer.WriteEndObject();
    }
}
