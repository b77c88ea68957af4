using System.Text.Json;
using BtrfsBackup.Configuration;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Watching;

/// <summary>
/// The <c>list</c> target's report as JSON (schema in docs/contract.md): per pair what the text table
/// shows, as fields: snapshots and backups in time order, the next parent, what the next purge
/// deletes and why, what is left alone and why, and the pair's freshness.
/// </summary>
internal static class ListReport
{
    public static string Json(IReadOnlyList<(PairInventory Inventory, DateTimeOffset Now)> pairs) => Json(pairs, TimeZoneInfo.Local);

    /// <summary>The report with retention's calendar periods in <paramref name="zone"/>.</summary>
    public static string Json(IReadOnlyList<(PairInventory Inventory, DateTimeOffset Now)> pairs, TimeZoneInfo zone) => JsonReport.Write(writer =>
    {
        ArgumentNullException.ThrowIfNull(pairs);
        writer.WriteStartObject();
        writer.WriteNumber("schema_version", JsonReport.SchemaVersion);
        writer.WriteString("report", "list");
        writer.WriteStartArray("pairs");
        foreach (var (inventory, now) in pairs)
        {
            WritePair(writer, inventory, now, zone);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WritePair(Utf8JsonWriter writer, PairInventory inventory, DateTimeOffset now, TimeZoneInfo zone)
    {
        var pair = inventory.Pair;
        var backups = new BackupIndex(inventory.Target);
        var parent = backups.NewestBackedUp(inventory.SnapshotDir.Snapshots);
        var purge = RetentionPlanner.Plan(inventory, now, zone);
        var purged = purge.Source.Deletions.Concat(purge.Target.Deletions).ToDictionary(decision => decision.Snapshot.Path, decision => decision.Reason);
        var freshness = PairFreshness.Of(inventory, now);

        writer.WriteStartObject();
        writer.WriteString("pair", pair.Name);
        JsonReport.Instant(writer, "now", now);
        writer.WriteString("source", pair.SourceLocation);
        writer.WriteString("source_uuid", inventory.Source.Uuid.ToString());
        writer.WriteString("snapshot_dir", pair.SnapshotDirLocation);
        JsonReport.StringOrNull(writer, "target", pair.TargetLocation);
        writer.WriteString("target_status", JsonReport.TargetStatusName(inventory.TargetStatus));
        writer.WriteString("target_status_reason", inventory.TargetStatusReason);
        Retention(writer, "source_retention", pair.SourceRetention);
        Retention(writer, "target_retention", pair.TargetRetention);
        JsonReport.StringOrNull(writer, "next_parent", inventory.IsTargetReachable ? parent?.Name.ToString() : null);
        JsonReport.NumberOrNull(writer, "alert_after_days", freshness.AlertAfterDays);
        writer.WriteBoolean("stale", freshness.IsStale);
        JsonReport.StringOrNull(writer, "stale_reason", freshness.StaleReason);

        writer.WriteStartArray("snapshots");
        foreach (var snapshot in inventory.SnapshotDir.Snapshots)
        {
            var backup = backups.BackupOf(snapshot);
            writer.WriteStartObject();
            Subvolume(writer, snapshot, now);
            if (inventory.IsTargetReachable)
            {
                writer.WriteBoolean("backed_up", backup is not null);
            }
            else
            {
                writer.WriteNull("backed_up");
            }

            writer.WriteBoolean("sent_before", inventory.HasBeenSent(snapshot));
            writer.WriteBoolean("next_parent", snapshot == parent);
            JsonReport.StringOrNull(writer, "next_purge_deletes", purged.GetValueOrDefault(snapshot.Path));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("backups");
        var present = inventory.SnapshotDir.Snapshots.Select(snapshot => snapshot.Uuid).ToHashSet();
        foreach (var backup in inventory.Target?.Snapshots ?? [])
        {
            writer.WriteStartObject();
            Subvolume(writer, backup, now);
            JsonReport.StringOrNull(writer, "received_uuid", backup.ReceivedUuid?.ToString());
            writer.WriteBoolean("source_snapshot_present", backup.ReceivedUuid is { } received && present.Contains(received));
            JsonReport.StringOrNull(writer, "next_purge_deletes", purged.GetValueOrDefault(backup.Path));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("left_alone");
        var target = inventory.Target ?? SnapshotLocation.Empty(pair.Target ?? string.Empty);
        foreach (var (location, path, reason) in inventory.SnapshotDir.Foreign.Select(foreign => ("snapshot_dir", foreign.Path, $"foreign: {foreign.Reason}"))
            .Concat(target.Foreign.Select(foreign => ("target", foreign.Path, $"foreign: {foreign.Reason}")))
            .Concat(target.Writable.Select(writable => ("target", writable.Path, "writable: not a backup"))))
        {
            writer.WriteStartObject();
            writer.WriteString("location", location);
            writer.WriteString("path", path);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("unfinished_receives");
        foreach (var incomplete in target.Incomplete)
        {
            writer.WriteStringValue(incomplete.Path);
        }

        writer.WriteEndArray();

        writer.WriteStartArray("nested_subvolumes");
        foreach (var nested in inventory.NestedSubvolumes)
        {
            writer.WriteStringValue(nested);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Subvolume(Utf8JsonWriter writer, Snapshot snapshot, DateTimeOffset now)
    {
        writer.WriteString("name", snapshot.Name.ToString());
        writer.WriteString("path", snapshot.Path);
        writer.WriteString("uuid", snapshot.Uuid.ToString());
        JsonReport.Instant(writer, "instant", snapshot.Name.Instant);
        JsonReport.Seconds(writer, "age_seconds", now - snapshot.Name.Instant);
    }

    private static void Retention(Utf8JsonWriter writer, string name, RetentionPolicy? policy)
    {
        if (policy is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber("keep_days", policy.KeepDays);
        writer.WriteNumber("keep_count", policy.KeepCount);
        // The calendar keys only where a rule is on: a policy of keep_days and keep_count reads as it always did.
        foreach (var (period, count) in policy.CalendarRules)
        {
            if (count == RetentionPolicy.All)
            {
                writer.WriteString(RetentionPolicy.KeyOf(period), "all");
            }
            else
            {
                writer.WriteNumber(RetentionPolicy.KeyOf(period), count);
            }
        }

        if (policy.CalendarRules.Any())
        {
            writer.WriteString("week_starts_on", policy.WeekStartsOn.ToString().ToLowerInvariant());
            writer.WriteNumber("day_starts_at_hour", policy.DayStartsAtHour);
        }

        if (policy.KeepSuffixedDays == RetentionPolicy.Forever)
        {
            writer.WriteBoolean("keep_suffixed", true);
        }
        else if (policy.KeepSuffixedDays > 0)
        {
            writer.WriteNumber("keep_suffixed", policy.KeepSuffixedDays);
        }

        writer.WriteEndObject();
    }
}
