using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Watching;

/// <summary>
/// What the JSON reports share: the writer's settings and the units of docs/contract.md (instants in
/// ISO 8601 with their offset, ages in whole seconds, names in snake_case).
/// </summary>
internal static class JsonReport
{
    /// <summary>The version of the schema in docs/contract.md: raised only when a field changes meaning or goes away.</summary>
    public const int SchemaVersion = 1;

    public static JsonWriterOptions Options { get; } = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            body(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n");
    }

    public static void Instant(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            writer.WriteString(name, value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void Seconds(Utf8JsonWriter writer, string name, TimeSpan? age)
    {
        if (age is { } value)
        {
            writer.WriteNumber(name, (long)Math.Floor(value.TotalSeconds));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void StringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void NumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static string TargetStatusName(TargetStatus status) => status switch
    {
        TargetStatus.NotConfigured => "not_configured",
        TargetStatus.Missing => "missing",
        TargetStatus.NotBtrfs => "not_btrfs",
        TargetStatus.OnSourceFilesystem => "on_source_filesystem",
        TargetStatus.Refused => "refused",
        TargetStatus.Reachable => "reachable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string EvidenceName(BackupEvidence evidence) => evidence switch
    {
        BackupEvidence.None => "none",
        BackupEvidence.Target => "target",
        BackupEvidence.SourceRecord => "source_record",
        _ => throw new ArgumentOutOfRangeException(nameof(evidence), evidence, null),
    };
}
