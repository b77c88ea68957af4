using System.Text.RegularExpressions;

namespace BtrfsBackup.Configuration;

/// <summary>Turns the bound file model into validated pairs, failing at the first problem with its position.</summary>
// canonical maps a path to the directory it really is (symlinks resolved), so two spellings of one directory are caught.
internal sealed partial class ConfigurationValidator(string fileName, KeyPositions positions, Func<string, string> canonical)
{
    public BackupConfiguration Validate(ConfigurationFileModel model)
    {
        RejectUnknownKeys(model.UnknownKeys, string.Empty, ConfigurationLoader.AllowedKeys(string.Empty));
        var defaults = model.Defaults ?? new DefaultsModel();
        RejectUnknownKeys(defaults.UnknownKeys, "defaults", ConfigurationLoader.AllowedKeys("defaults"));
        CheckRetention(defaults.SourceRetention, "defaults.source_retention");
        CheckRetention(defaults.TargetRetention, "defaults.target_retention");

        if (model.Pairs is null || model.Pairs.Count == 0)
        {
            throw Error("pairs", "no backup pairs are configured: add a [pairs.NAME] table with source and snapshot_dir");
        }

        var pairs = model.Pairs.Select(entry => ToPair(entry.Key, entry.Value, defaults)).ToList();
        RejectNamesDifferingOnlyInCase(pairs);
        RejectSharedDirectories(pairs);
        return new BackupConfiguration(fileName, pairs);
    }

    private BackupPair ToPair(string name, PairModel pair, DefaultsModel defaults)
    {
        var key = $"pairs.{name}";
        if (!PairName().IsMatch(name))
        {
            throw Error(key, $"pair name '{name}' is not allowed: use only letters, digits, '_' and '-'");
        }

        RejectUnknownKeys(pair.UnknownKeys, key, ConfigurationLoader.AllowedKeys("pair"));
        CheckRetention(pair.SourceRetention, $"{key}.source_retention");
        CheckRetention(pair.TargetRetention, $"{key}.target_retention");

        return new BackupPair(
            name,
            RequiredPath(pair.Source, $"{key}.source"),
            RequiredPath(pair.SnapshotDir, $"{key}.snapshot_dir"),
            pair.Target is null ? null : AbsolutePath(pair.Target, $"{key}.target"),
            Merge(pair.SourceRetention, defaults.SourceRetention),
            Merge(pair.TargetRetention, defaults.TargetRetention))
        {
            IgnoreNested = (pair.IgnoreNested ?? []).Select(path => AbsolutePath(path, $"{key}.ignore_nested")).ToList(),
        };
    }

    private string RequiredPath(string? value, string key) =>
        value is null
            ? throw Error(key, $"missing required key '{key[(key.LastIndexOf('.') + 1)..]}' in [{key[..key.LastIndexOf('.')]}]")
            : AbsolutePath(value, key);

    private string AbsolutePath(string value, string key)
    {
        var control = Array.FindIndex(value.ToCharArray(), char.IsControl);
        if (control >= 0)
        {
            throw Error(key, $"{key} contains the control character U+{(int)value[control]:X4}; no value may contain control characters");
        }

        if (!value.StartsWith('/'))
        {
            throw Error(key, $"{key} must be an absolute path, got '{value}'");
        }

        if (value.Split('/').Any(part => part is "." or ".."))
        {
            throw Error(key, $"{key} must not contain '.' or '..' components, got '{value}'");
        }

        var normalized = SlashRuns().Replace(value, "/");
        return normalized.Length > 1 ? normalized.TrimEnd('/') : normalized;
    }

    private void CheckRetention(RetentionModel? retention, string key)
    {
        if (retention is null)
        {
            return;
        }

        RejectUnknownKeys(retention.UnknownKeys, key, ConfigurationLoader.AllowedKeys("retention"));
        CheckCount(retention.KeepDays, $"{key}.keep_days");
        CheckCount(retention.KeepCount, $"{key}.keep_count");
    }

    private void CheckCount(long? value, string key)
    {
        if (value is < 0)
        {
            throw Error(key, $"{key} must be zero or more, got {value}");
        }

        if (value is > int.MaxValue)
        {
            throw Error(key, $"{key} is too large: {value}");
        }
    }

    // A pair's own values win key by key; a key given by neither counts as 0 (that limit keeps nothing).
    private static RetentionPolicy? Merge(RetentionModel? own, RetentionModel? defaults)
    {
        if (own is null && defaults is null)
        {
            return null;
        }

        var days = own?.KeepDays ?? defaults?.KeepDays ?? 0;
        var count = own?.KeepCount ?? defaults?.KeepCount ?? 0;
        return new RetentionPolicy((int)days, (int)count);
    }

    private void RejectUnknownKeys(Dictionary<string, object?> unknownKeys, string section, IReadOnlyList<string> allowed)
    {
        if (unknownKeys.Count == 0)
        {
            return;
        }

        var unknown = unknownKeys.Keys.First();
        var key = section.Length == 0 ? unknown : $"{section}.{unknown}";
        var where = section.Length == 0 ? "at the top level" : $"in [{section}]";
        throw Error(key, $"unknown key '{unknown}' {where}; allowed keys: {string.Join(", ", allowed)}");
    }

    // Cake's task names (Scan:home) ignore case, so home and Home could not both have tasks.
    private void RejectNamesDifferingOnlyInCase(List<BackupPair> pairs)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            if (!seen.TryAdd(pair.Name, pair.Name))
            {
                throw Error($"pairs.{pair.Name}", $"pair name '{pair.Name}' differs from '{seen[pair.Name]}' only in case; pair names must differ in more than case");
            }
        }
    }

    private void RejectSharedDirectories(List<BackupPair> pairs)
    {
        // Two pairs purging one directory would delete each other's snapshots.
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            if (pair.SnapshotDir == pair.Source)
            {
                throw Error($"pairs.{pair.Name}.snapshot_dir", $"pairs.{pair.Name}.snapshot_dir must differ from its source '{pair.Source}'");
            }

            if (pair.Target == pair.Source)
            {
                throw Error($"pairs.{pair.Name}.target", $"pairs.{pair.Name}.target must differ from its source '{pair.Source}'");
            }

            Claim(claimed, pair.SnapshotDir, $"pairs.{pair.Name}.snapshot_dir");
            if (pair.Target is not null)
            {
                Claim(claimed, pair.Target, $"pairs.{pair.Name}.target");
            }
        }
    }

    private void Claim(Dictionary<string, string> claimed, string directory, string key)
    {
        var real = canonical(directory);
        if (claimed.TryGetValue(real, out var owner))
        {
            var same = real == directory ? string.Empty : $" (both are {real})";
            throw Error(key, $"{key} '{directory}' is already used by {owner}{same}: no two pairs may share a snapshot_dir or target");
        }

        claimed.Add(real, key);
    }

    private ConfigurationException Error(string key, string problem)
    {
        var (line, column) = positions.Of(key);
        return new ConfigurationException(fileName, line, column, problem);
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex PairName();

    [GeneratedRegex("/{2,}")]
    private static partial Regex SlashRuns();
}
