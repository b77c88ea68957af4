using System.Text;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Support;

/// <summary>Writes pairs as a backup_config.toml, the way a user would.</summary>
internal static class ConfigFile
{
    public static string Write(string directory, params BackupPair[] pairs)
    {
        var text = new StringBuilder();
        foreach (var pair in pairs)
        {
            text.AppendLine($"[pairs.{pair.Name}]");
            text.AppendLine($"source = \"{pair.Source}\"");
            text.AppendLine($"snapshot_dir = \"{pair.SnapshotDir}\"");
            if (pair.Target is not null)
            {
                text.AppendLine($"target = \"{pair.Target}\"");
            }

            AppendRetention(text, pair.Name, "source_retention", pair.SourceRetention);
            AppendRetention(text, pair.Name, "target_retention", pair.TargetRetention);
            text.AppendLine();
        }

        var path = Path.Combine(directory, "backup_config.toml");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static void AppendRetention(StringBuilder text, string pair, string key, RetentionPolicy? policy)
    {
        if (policy is not null)
        {
            text.AppendLine($"[pairs.{pair}.{key}]");
            text.AppendLine($"keep_days = {policy.KeepDays}");
            text.AppendLine($"keep_count = {policy.KeepCount}");
        }
    }
}
