namespace BtrfsBackup.Configuration;

/// <summary>
/// The <c>[run]</c> table: what a run leaves behind for people and monitoring when it ends. The run
/// history (one JSON line per pair and run, rotated by size), the metrics for node_exporter's
/// textfile collector, and the commands run after a run that went well or one that did not.
/// </summary>
internal sealed record RunSettings
{
    /// <summary>Where the history is kept when <c>history_file</c> is not set: tests point it into their sandbox.</summary>
    public const string StateDirectoryVariable = "BTRFSBACKUP_STATE_DIR";

    public const string DefaultStateDirectory = "/var/lib/btrfsbackup";

    public const long DefaultHistoryMaxBytes = 10L * 1024 * 1024;

    /// <summary>The smallest <c>history_max_bytes</c> allowed: a few runs' lines must fit.</summary>
    public const long MinimumHistoryMaxBytes = 4096;

    /// <summary>Null: no history is kept (<c>history_file = ""</c>).</summary>
    public string? HistoryFile { get; init; } = DefaultHistoryFile();

    /// <summary>When an append would take the history past this size, it is renamed to <c>FILE.1</c> first.</summary>
    public long HistoryMaxBytes { get; init; } = DefaultHistoryMaxBytes;

    /// <summary>Null: no metrics file.</summary>
    public string? MetricsFile { get; init; }

    /// <summary>Program and arguments run after a run in which every pair succeeded; null for none.</summary>
    public IReadOnlyList<string>? OnSuccess { get; init; }

    /// <summary>Program and arguments run after a run that needs attention; null for none.</summary>
    public IReadOnlyList<string>? OnFailure { get; init; }

    /// <summary>How long a hook may run before it is killed. Not a configuration key: tests shorten it.</summary>
    public TimeSpan HookTimeLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Nothing kept and nothing run: what a run made in process without a configuration gets.</summary>
    public static RunSettings None { get; } = new() { HistoryFile = null };

    /// <summary><c>$BTRFSBACKUP_STATE_DIR/history.jsonl</c>, or <c>/var/lib/btrfsbackup/history.jsonl</c>.</summary>
    public static string DefaultHistoryFile() =>
        Path.Combine(
            Environment.GetEnvironmentVariable(StateDirectoryVariable) is { Length: > 0 } configured ? configured : DefaultStateDirectory,
            "history.jsonl");
}
