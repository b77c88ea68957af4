using System.Globalization;
using System.Text;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Writes pairs as a backup_config.toml, the way a user would, every path a TOML basic string
/// (escaped), so that paths with quotes, backslashes, unicode or control characters reach the
/// loader exactly as written.
/// </summary>
internal static class ConfigFile
{
    public static string Write(string directory, params BackupPair[] pairs)
    {
        var text = new StringBuilder();
        foreach (var pair in pairs)
        {
            text.AppendLine($"[pairs.{pair.Name}]");
            text.AppendLine($"source = {Quote(pair.Source)}");
            text.AppendLine($"snapshot_dir = {Quote(pair.SnapshotDir)}");
            if (pair.Target is not null)
            {
                text.AppendLine($"target = {Quote(pair.Target)}");

                // The record's null is "no alarm", which the file says with 0 (left out, it would be 7 days).
                text.AppendLine(CultureInfo.InvariantCulture, $"alert_after_days = {pair.AlertAfterDays ?? 0}");
            }

            if (pair.SnapshotWhen == SnapshotWhen.Changed)
            {
                text.AppendLine("snapshot_when = \"changed\"");
            }

            if (pair.SnapshotOnApt)
            {
                text.AppendLine("snapshot_on_apt = true");
            }

            AppendRetention(text, pair.Name, "source_retention", pair.SourceRetention);
            AppendRetention(text, pair.Name, "target_retention", pair.TargetRetention);
            text.AppendLine();
        }

        var path = Path.Combine(directory, "backup_config.toml");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A TOML basic string: backslash, double quote and control characters escaped.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static void AppendRetention(StringBuilder text, string pair, string key, RetentionPolicy? policy)
    {
        if (policy is not null)
        {
            text.AppendLine($"[pairs.{pair}.{key}]");
            text.AppendLine($"keep_days = {policy.KeepDays}");
            text.AppendLine($"keep_count = {policy.KeepCount}");
            foreach (var (period, count) in policy.CalendarRules)
            {
                text.AppendLine($"{RetentionPolicy.KeyOf(period)} = {(count == RetentionPolicy.All ? "\"all\"" : count)}");
            }

            if (policy.WeekStartsOn != DayOfWeek.Monday)
            {
                text.AppendLine($"week_starts_on = \"{policy.WeekStartsOn.ToString().ToLowerInvariant()}\"");
            }

            if (policy.DayStartsAtHour != 0)
            {
                text.AppendLine($"day_starts_at_hour = {policy.DayStartsAtHour}");
            }

            if (policy.KeepSuffixedDays != 0)
            {
                text.AppendLine($"keep_suffixed = {policy.KeepSuffixedText}");
            }
        }
    }
}
