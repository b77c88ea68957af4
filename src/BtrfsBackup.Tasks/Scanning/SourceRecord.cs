using System.Text.Json;
using System.Text.Json.Serialization;

namespace BtrfsBackup.Scanning;

/// <summary>
/// The record a pair keeps in its snapshot_dir (<c>.btrfsbackup-source.json</c>): the snapshots there
/// known to have reached the target. While the backup disk is away, retention keeps every snapshot not
/// in it, so nothing is deleted before it is backed up. Before this record there was
/// <c>.btrfsbackup-last-backup</c>, naming the newest backed-up snapshot; it is still read.
/// </summary>
internal sealed partial record SourceRecord(IReadOnlyList<Guid> Sent, Guid? LegacyNewestBackedUp = null)
{
    public const string FileName = ".btrfsbackup-source.json";
    public const string LegacyFileName = ".btrfsbackup-last-backup";
    private const int Format = 1;

    // Serialization code generated at build time: no reflection, and nothing to compile at run time (the program is native code).
    private static readonly SourceRecordJson Json = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });

    public static string PathIn(string snapshotDir) => Path.Combine(snapshotDir, FileName);

    public static string LegacyPathIn(string snapshotDir) => Path.Combine(snapshotDir, LegacyFileName);

    public string Serialize() => JsonSerializer.Serialize(new Document(Format, [.. Sent]), Json.Document) + "\n";

    /// <exception cref="BackupException">The file is not a record this version can read.</exception>
    public static SourceRecord Parse(string text, string path)
    {
        try
        {
            var document = JsonSerializer.Deserialize(text, Json.Document);
            return document is { Format: Format, Sent: not null }
                ? new SourceRecord(document.Sent)
                : throw new BackupException($"the source record {path} is not in a format this version reads");
        }
        catch (JsonException e)
        {
            throw new BackupException($"the source record {path} is damaged ({e.Message})", e);
        }
    }

    /// <summary>The record of the version before: "UUID NAME", the newest backed-up snapshot.</summary>
    public static SourceRecord? ParseLegacy(string text) =>
        Guid.TryParse(text.Split(' ', 2)[0].Trim(), out var uuid) ? new SourceRecord([], uuid) : null;

    private sealed record Document(int Format, List<Guid>? Sent);

    [JsonSerializable(typeof(Document))]
    private sealed partial class SourceRecordJson : JsonSerializerContext;
}
