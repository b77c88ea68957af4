using System.Text.Json.Serialization;
using Tomlyn.Serialization;

namespace BtrfsBackup.Configuration;

// The file's shape as Tomlyn binds it (snake_case keys). Each class collects keys it does not know,
// because Tomlyn ignores unknown keys silently and a typo must not pass unnoticed.
#pragma warning disable CA1812 // Instantiated by Tomlyn's generated code.

// Tomlyn's binding code, generated at build time: no reflection (the program is native code).
[TomlSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[TomlSerializable(typeof(ConfigurationFileModel))]
internal sealed partial class ConfigurationFileContext : TomlSerializerContext;

internal sealed class ConfigurationFileModel
{
    public DefaultsModel? Defaults { get; set; }

    public Dictionary<string, PairModel>? Pairs { get; set; }

    public RunModel? Run { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> UnknownKeys { get; set; } = [];
}

internal sealed class DefaultsModel
{
    public RetentionModel? SourceRetention { get; set; }

    public RetentionModel? TargetRetention { get; set; }

    public string? SshIdentity { get; set; }

    public List<string>? SshOptions { get; set; }

    public bool? SshSudo { get; set; }

    public string? StreamCompress { get; set; }

    public long? StreamCompressLevel { get; set; }

    public long? RateLimit { get; set; }

    public long? AlertAfterDays { get; set; }

    public string? SnapshotWhen { get; set; }

    public bool? SnapshotOnApt { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> UnknownKeys { get; set; } = [];
}

internal sealed class PairModel
{
    public string? Source { get; set; }

    public string? SnapshotDir { get; set; }

    public string? Target { get; set; }

    public RetentionModel? SourceRetention { get; set; }

    public RetentionModel? TargetRetention { get; set; }

    public List<string>? IgnoreNested { get; set; }

    public string? SshIdentity { get; set; }

    public List<string>? SshOptions { get; set; }

    public bool? SshSudo { get; set; }

    public string? StreamCompress { get; set; }

    public long? StreamCompressLevel { get; set; }

    public long? RateLimit { get; set; }

    public long? AlertAfterDays { get; set; }

    public string? SnapshotWhen { get; set; }

    public bool? SnapshotOnApt { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> UnknownKeys { get; set; } = [];
}

internal sealed class RunModel
{
    public string? HistoryFile { get; set; }

    public long? HistoryMaxBytes { get; set; }

    public string? MetricsFile { get; set; }

    public List<string>? OnSuccess { get; set; }

    public List<string>? OnFailure { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> UnknownKeys { get; set; } = [];
}

internal sealed class RetentionModel
{
    public long? KeepDays { get; set; }

    public long? KeepCount { get; set; }

    // An integer or "all" (and for keep_suffixed a boolean or an integer): bound as whatever TOML holds, checked by the validator.
    public object? KeepHourly { get; set; }

    public object? KeepDaily { get; set; }

    public object? KeepWeekly { get; set; }

    public object? KeepMonthly { get; set; }

    public object? KeepYearly { get; set; }

    public string? WeekStartsOn { get; set; }

    public long? DayStartsAtHour { get; set; }

    public object? KeepSuffixed { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?> UnknownKeys { get; set; } = [];
}
