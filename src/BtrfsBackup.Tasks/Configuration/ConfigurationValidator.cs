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
        CheckAlertAfterDays(defaults.AlertAfterDays, "defaults.alert_after_days");
        SnapshotWhenOf(defaults.SnapshotWhen, "defaults.snapshot_when");

        if (model.Pairs is null || model.Pairs.Count == 0)
        {
            throw Error("pairs", "no backup pairs are configured: add a [pairs.NAME] table with source and snapshot_dir");
        }

        var pairs = model.Pairs.Select(entry => ToPair(entry.Key, entry.Value, defaults)).ToList();
        RejectNamesDifferingOnlyInCase(pairs);
        RejectSharedDirectories(pairs);
        return new BackupConfiguration(fileName, pairs) { Run = RunSettingsOf(model.Run) };
    }

    private RunSettings RunSettingsOf(RunModel? run)
    {
        if (run is null)
        {
            return new RunSettings();
        }

        RejectUnknownKeys(run.UnknownKeys, "run", ConfigurationLoader.AllowedKeys("run"));
        var history = run.HistoryFile switch
        {
            null => RunSettings.DefaultHistoryFile(),
            "" => null,
            var path => FilePath(path, "run.history_file"),
        };
        if (run.HistoryMaxBytes is < RunSettings.MinimumHistoryMaxBytes)
        {
            throw Error("run.history_max_bytes", $"run.history_max_bytes must be at least {RunSettings.MinimumHistoryMaxBytes} bytes, got {run.HistoryMaxBytes}");
        }

        var metrics = run.MetricsFile is null ? null : FilePath(run.MetricsFile, "run.metrics_file");
        if (metrics is not null && !metrics.EndsWith(".prom", StringComparison.Ordinal))
        {
            // node_exporter's textfile collector reads only *.prom files: any other name would never be seen.
            throw Error("run.metrics_file", $"run.metrics_file must end in .prom (node_exporter's textfile collector reads only those), got '{metrics}'");
        }

        if (metrics is not null && metrics == history)
        {
            throw Error("run.metrics_file", $"run.metrics_file must differ from run.history_file '{history}'");
        }

        return new RunSettings
        {
            HistoryFile = history,
            HistoryMaxBytes = run.HistoryMaxBytes ?? RunSettings.DefaultHistoryMaxBytes,
            MetricsFile = metrics,
            OnSuccess = Hook(run.OnSuccess, "run.on_success"),
            OnFailure = Hook(run.OnFailure, "run.on_failure"),
        };
    }

    // A file the tool writes: an absolute path that names a file, not a folder.
    private string FilePath(string value, string key)
    {
        var path = AbsolutePath(value, key);
        return path == "/" || value.EndsWith('/')
            ? throw Error(key, $"{key} must name a file, got '{value}'")
            : path;
    }

    // An argument list, never a shell line: the program is found by its absolute path, not by PATH.
    private List<string>? Hook(List<string>? command, string key)
    {
        if (command is null)
        {
            return null;
        }

        if (command.Count == 0)
        {
            throw Error(key, $"{key} must name a program: write [\"/usr/bin/program\", \"argument\", ...], or leave the key out");
        }

        foreach (var argument in command)
        {
            RejectControlCharacters(argument, key);
        }

        if (!command[0].StartsWith('/'))
        {
            throw Error(key, $"{key} must start with the program's absolute path (the hook runs without a shell and without PATH), got '{command[0]}'");
        }

        return command;
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
        CheckAlertAfterDays(pair.AlertAfterDays, $"{key}.alert_after_days");

        var (sourceHost, source) = Location(Required(pair.Source, $"{key}.source"), $"{key}.source");
        var (snapshotHost, snapshotDir) = Location(Required(pair.SnapshotDir, $"{key}.snapshot_dir"), $"{key}.snapshot_dir");
        if (sourceHost != snapshotHost)
        {
            throw Error($"{key}.snapshot_dir", $"{key}.snapshot_dir must be on the same machine as its source ({Machine(sourceHost)}), got {Machine(snapshotHost)}: btrfs snapshots stay on one filesystem");
        }

        var (targetHost, target) = pair.Target is null ? (null, null) : Location(pair.Target, $"{key}.target");
        var access = RemoteAccess(pair, defaults, key);
        return new BackupPair(
            name,
            source,
            snapshotDir,
            target,
            Merge(pair.SourceRetention, defaults.SourceRetention, $"{key}.source_retention", "defaults.source_retention"),
            Merge(pair.TargetRetention, defaults.TargetRetention, $"{key}.target_retention", "defaults.target_retention"))
        {
            IgnoreNested = (pair.IgnoreNested ?? []).Select(path => AbsolutePath(path, $"{key}.ignore_nested")).ToList(),
            SourceAccess = sourceHost is null ? null : access(sourceHost),
            TargetAccess = targetHost is null ? null : access(targetHost),
            Stream = StreamOptionsOf(pair, defaults, key),
            AlertAfterDays = target is null ? null : AlertAfterDaysOf(pair, defaults),
            SnapshotWhen = pair.SnapshotWhen is null ? SnapshotWhenOf(defaults.SnapshotWhen, "defaults.snapshot_when") : SnapshotWhenOf(pair.SnapshotWhen, $"{key}.snapshot_when"),
            SnapshotOnApt = pair.SnapshotOnApt ?? defaults.SnapshotOnApt ?? false,
        };
    }

    private const int DefaultAlertAfterDays = 7;

    // About a hundred years: a day count that large is a typo, and days * 86400 s must fit a TimeSpan.
    private const int MaxAlertAfterDays = 36500;

    private static string Machine(SshEndpoint? endpoint) => endpoint?.ToString() ?? "this machine";

    private string Required(string? value, string key) =>
        value ?? throw Error(key, $"missing required key '{key[(key.LastIndexOf('.') + 1)..]}' in [{key[..key.LastIndexOf('.')]}]");

    // A plain absolute path is on this machine; ssh://[user@]host[:port]/path on another.
    private (SshEndpoint? Host, string Path) Location(string value, string key)
    {
        RejectControlCharacters(value, key);
        if (SshEndpoint.TrySplit(value, out var endpoint, out var path) is { } problem)
        {
            throw Error(key, $"{key}: {problem}");
        }

        return (endpoint, AbsolutePath(path, key));
    }

    // The pair's own value wins, key by key, over [defaults].
    private Func<SshEndpoint, SshAccess> RemoteAccess(PairModel pair, DefaultsModel defaults, string key)
    {
        var identityKey = pair.SshIdentity is null ? "defaults.ssh_identity" : $"{key}.ssh_identity";
        var identity = (pair.SshIdentity ?? defaults.SshIdentity) is { } file ? AbsolutePath(file, identityKey) : null;
        var optionsKey = pair.SshOptions is null ? "defaults.ssh_options" : $"{key}.ssh_options";
        var options = pair.SshOptions ?? defaults.SshOptions ?? [];
        foreach (var option in options)
        {
            RejectControlCharacters(option, optionsKey);
            if (!SshOption().IsMatch(option))
            {
                throw Error(optionsKey, $"{optionsKey}: '{option}' is not an ssh option: write Name=value, as after ssh -o (e.g. \"ConnectTimeout=10\")");
            }

            var name = option[..option.IndexOf('=', StringComparison.Ordinal)];
            if (ReservedSshOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(optionsKey, $"{optionsKey}: {name} is set by the tool itself (its shared connection, batch mode and remote commands depend on it) and cannot be changed");
            }
        }

        var sudo = pair.SshSudo ?? defaults.SshSudo ?? false;
        return endpoint => new SshAccess(endpoint, identity, options.ToList(), sudo);
    }

    private StreamOptions StreamOptionsOf(PairModel pair, DefaultsModel defaults, string key)
    {
        var compressKey = pair.StreamCompress is null ? "defaults.stream_compress" : $"{key}.stream_compress";
        var compress = pair.StreamCompress ?? defaults.StreamCompress;
        if (compress is not (null or "zstd" or "none"))
        {
            throw Error(compressKey, $"{compressKey} must be \"zstd\" or \"none\", got '{compress}'");
        }

        var levelKey = pair.StreamCompressLevel is null ? "defaults.stream_compress_level" : $"{key}.stream_compress_level";
        var level = pair.StreamCompressLevel ?? defaults.StreamCompressLevel;
        if (level is < 1 or > 19)
        {
            throw Error(levelKey, $"{levelKey} must be 1-19, got {level}");
        }

        var rateKey = pair.RateLimit is null ? "defaults.rate_limit" : $"{key}.rate_limit";
        var rate = pair.RateLimit ?? defaults.RateLimit;
        if (rate is < 1)
        {
            throw Error(rateKey, $"{rateKey} must be a number of bytes per second, 1 or more, got {rate}");
        }

        return new StreamOptions(compress == "zstd" ? (int)(level ?? 3) : null, rate);
    }

    // Checked where it is written, so a bad value in [defaults] or in a pair without a target is caught too.
    private void CheckAlertAfterDays(long? days, string key)
    {
        if (days is < 0 or > MaxAlertAfterDays)
        {
            throw Error(key, $"{key} must be a number of days from 1 to {MaxAlertAfterDays}, or 0 for no alarm, got {days}");
        }
    }

    // "always" when given nowhere: the seed's behaviour.
    private SnapshotWhen SnapshotWhenOf(string? value, string key) => value switch
    {
        null or "always" => SnapshotWhen.Always,
        "changed" => SnapshotWhen.Changed,
        _ => throw Error(key, $"{key} must be \"always\" or \"changed\", got '{value}'"),
    };

    // Default 7 days for a pair with a target; 0 turns the alarm off.
    private static int? AlertAfterDaysOf(PairModel pair, DefaultsModel defaults)
    {
        var days = pair.AlertAfterDays ?? defaults.AlertAfterDays ?? DefaultAlertAfterDays;
        return days == 0 ? null : (int)days;
    }

    private void RejectControlCharacters(string value, string key)
    {
        var control = Array.FindIndex(value.ToCharArray(), char.IsControl);
        if (control >= 0)
        {
            throw Error(key, $"{key} contains the control character U+{(int)value[control]:X4}; no value may contain control characters");
        }
    }

    private string AbsolutePath(string value, string key)
    {
        RejectControlCharacters(value, key);

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
        foreach (var period in Enum.GetValues<RetentionPeriod>())
        {
            PeriodCount(CountOf(retention, period), $"{key}.{RetentionPolicy.KeyOf(period)}", period);
        }

        WeekStart(retention.WeekStartsOn, $"{key}.week_starts_on");
        if (retention.DayStartsAtHour is < 0 or > 23)
        {
            throw Error($"{key}.day_starts_at_hour", $"{key}.day_starts_at_hour must be an hour from 0 to 23, got {retention.DayStartsAtHour}");
        }

        SuffixedDays(retention.KeepSuffixed, $"{key}.keep_suffixed");
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

    private static object? CountOf(RetentionModel retention, RetentionPeriod period) => period switch
    {
        RetentionPeriod.Hour => retention.KeepHourly,
        RetentionPeriod.Day => retention.KeepDaily,
        RetentionPeriod.Week => retention.KeepWeekly,
        RetentionPeriod.Month => retention.KeepMonthly,
        _ => retention.KeepYearly,
    };

    // A number of periods (0 turns the rule off) or "all"; null when the key is not written.
    private int? PeriodCount(object? value, string key, RetentionPeriod period)
    {
        var unit = period.ToString().ToLowerInvariant() + "s";
        switch (value)
        {
            case null:
                return null;
            case "all":
                return RetentionPolicy.All;
            case string other:
                throw Error(key, $"{key} must be a number of {unit} or \"all\", got \"{other}\"");
            case long count when count < 0:
                throw Error(key, $"{key} must be zero or more (0 turns the rule off), or \"all\", got {count}");
            case long count when count >= RetentionPolicy.All:
                throw Error(key, $"{key} is too large: {count} (write \"all\" to keep every {period.ToString().ToLowerInvariant()})");
            case long count:
                return (int)count;
            default:
                throw Error(key, $"{key}: expected an integer or \"all\", found {TomlKind(value)}");
        }
    }

    private DayOfWeek? WeekStart(string? value, string key)
    {
        if (value is null)
        {
            return null;
        }

        // Exactly the lowercase English name: one spelling, as for every other word in the file.
        var day = Enum.GetValues<DayOfWeek>().Where(day => string.Equals(day.ToString().ToLowerInvariant(), value, StringComparison.Ordinal)).Select(day => (DayOfWeek?)day).FirstOrDefault();
        return day ?? throw Error(key, $"{key} must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday, got \"{value}\"");
    }

    // true: kept until deleted by hand; a number of days: kept while younger; false or 0: no protection.
    private int? SuffixedDays(object? value, string key) => value switch
    {
        null => null,
        true => RetentionPolicy.Forever,
        false => 0,
        long days when days is >= 0 and <= MaxAlertAfterDays => (int)days,
        long days => throw Error(key, $"{key} must be true, false or a number of days from 0 to {MaxAlertAfterDays}, got {days}"),
        _ => throw Error(key, $"{key}: expected true, false or a number of days, found {TomlKind(value)}"),
    };

    private static string TomlKind(object value) => value switch
    {
        string => "a string",
        bool => "a boolean",
        double or float => "a float",
        long or int => "an integer",
        Tomlyn.Model.TomlArray => "an array",
        Tomlyn.Model.TomlTable => "a table",
        _ => "a date or time",
    };

    // A pair's own values win key by key; a key given by neither counts as 0 (that limit keeps nothing).
    private RetentionPolicy? Merge(RetentionModel? own, RetentionModel? defaults, string ownKey, string defaultsKey)
    {
        if (own is null && defaults is null)
        {
            return null;
        }

        var days = own?.KeepDays ?? defaults?.KeepDays ?? 0;
        var count = own?.KeepCount ?? defaults?.KeepCount ?? 0;
        int Period(RetentionPeriod period) =>
            (own is null ? null : PeriodCount(CountOf(own, period), $"{ownKey}.{RetentionPolicy.KeyOf(period)}", period))
            ?? (defaults is null ? null : PeriodCount(CountOf(defaults, period), $"{defaultsKey}.{RetentionPolicy.KeyOf(period)}", period))
            ?? 0;
        return new RetentionPolicy((int)days, (int)count)
        {
            KeepHourly = Period(RetentionPeriod.Hour),
            KeepDaily = Period(RetentionPeriod.Day),
            KeepWeekly = Period(RetentionPeriod.Week),
            KeepMonthly = Period(RetentionPeriod.Month),
            KeepYearly = Period(RetentionPeriod.Year),
            WeekStartsOn = (own is null ? null : WeekStart(own.WeekStartsOn, $"{ownKey}.week_starts_on"))
                ?? (defaults is null ? null : WeekStart(defaults.WeekStartsOn, $"{defaultsKey}.week_starts_on"))
                ?? DayOfWeek.Monday,
            DayStartsAtHour = (int)(own?.DayStartsAtHour ?? defaults?.DayStartsAtHour ?? 0),
            KeepSuffixedDays = (own is null ? null : SuffixedDays(own.KeepSuffixed, $"{ownKey}.keep_suffixed"))
                ?? (defaults is null ? null : SuffixedDays(defaults.KeepSuffixed, $"{defaultsKey}.keep_suffixed"))
                ?? 0,
        };
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

            if (pair.Target == pair.Source && pair.TargetAccess?.Endpoint == pair.SourceAccess?.Endpoint)
            {
                throw Error($"pairs.{pair.Name}.target", $"pairs.{pair.Name}.target must differ from its source '{pair.Source}'");
            }

            Claim(claimed, pair.SourceAccess, pair.SnapshotDir, $"pairs.{pair.Name}.snapshot_dir");
            if (pair.Target is not null)
            {
                Claim(claimed, pair.TargetAccess, pair.Target, $"pairs.{pair.Name}.target");
            }
        }
    }

    // A remote directory is taken as written: its symlinks are on a machine this check does not reach.
    private void Claim(Dictionary<string, string> claimed, SshAccess? access, string directory, string key)
    {
        var written = access is null ? directory : access.Endpoint + directory;
        var real = access is null ? canonical(directory) : written;
        if (claimed.TryGetValue(real, out var owner))
        {
            var same = real == written ? string.Empty : $" (both are {real})";
            throw Error(key, $"{key} '{written}' is already used by {owner}{same}: no two pairs may share a snapshot_dir or target");
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

    // Options whose user value would undo the tool's own: the control socket in its root-only folder,
    // no prompts, the connection ending with the run, the remote command being the tool's.
    private static readonly string[] ReservedSshOptions =
        ["ControlPath", "ControlMaster", "ControlPersist", "BatchMode", "RemoteCommand", "LocalCommand", "PermitLocalCommand", "RequestTTY", "SessionType", "StdinNull", "ForkAfterAuthentication"];

    // Name=value, the only form ssh -o takes; a name cannot smuggle in another command-line flag.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*=[^=\s][^\s]*(?: [^\s]+)*\z")]
    private static partial Regex SshOption();

    [GeneratedRegex("/{2,}")]
    private static partial Regex SlashRuns();
}
