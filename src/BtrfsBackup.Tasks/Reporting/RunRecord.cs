using System.Text.Json;
using System.Text.Json.Serialization;

namespace BtrfsBackup.Reporting;

/// <summary>
/// One line of the run history: what one run did for one pair. The schema is stable (see
/// docs/contract.md); a change that a reader could misread raises <see cref="SchemaVersion"/>.
/// </summary>
internal sealed partial record RunRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Pair { get; init; }

    /// <summary>When the pair's first step started, in the machine's time zone, to the second.</summary>
    public required DateTimeOffset Started { get; init; }

    public required DateTimeOffset Ended { get; init; }

    /// <summary>One of <see cref="RunOutcomes"/>.</summary>
    public required string Outcome { get; init; }

    public string? FailedStep { get; init; }

    public string? Error { get; init; }

    public long BytesSent { get; init; }

    public IReadOnlyList<string> SnapshotsMade { get; init; } = [];

    public IReadOnlyList<string> SnapshotsSent { get; init; } = [];

    public DeletedSnapshots SnapshotsDeleted { get; init; } = new([], []);

    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The newest backup on the target when the pair ended; null when there is none or the target could not be read.</summary>
    public string? NewestBackup { get; init; }

    [JsonIgnore]
    public bool Succeeded => Outcome == RunOutcomes.Succeeded;

    // Serialization code generated at build time: no reflection, and nothing to compile at run time (the program is native code).
    private static readonly RunRecordJson Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The record as one line of JSON, without the newline.</summary>
    public string ToJsonLine() => JsonSerializer.Serialize(this, Json.RunRecord);

    /// <summary>The record a line holds, or null for a line that is not one (torn by a killed writer, or not ours).</summary>
    public static RunRecord? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize(line, Json.RunRecord);
            return record is { Pair.Length: > 0, Outcome.Length: > 0 } ? record : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    [JsonSerializable(typeof(RunRecord))]
    private sealed partial class RunRecordJson : JsonSerializerContext;
}

/// <summary>The names of the snapshots a run deleted, per side.</summary>
internal sealed record DeletedSnapshots(IReadOnlyList<string> Source, IReadOnlyList<string> Target);

/// <summary>How a pair's run ended, as the history and the metrics name it.</summary>
internal static class RunOutcomes
{
    /// <summary>Every step asked for ran or had nothing to do.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>A step failed; the record names it and its error.</summary>
    public const string Failed = "failed";

    /// <summary>The target could not be reached (not mounted, unreachable machine): the backup part did not happen, without an error.</summary>
    public const string Skipped = "skipped";

    /// <summary>The run was stopped (Ctrl-C, SIGTERM) before the pair's steps were all done.</summary>
    public const string Interrupted = "interrupted";

    public static IReadOnlyList<string> All { get; } = [Succeeded, Failed, Skipped, Interrupted];
}
