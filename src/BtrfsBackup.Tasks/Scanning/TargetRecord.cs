using System.Text.Json;
using System.Text.Json.Serialization;

namespace BtrfsBackup.Scanning;

/// <summary>
/// The record a pair keeps in its target directory (<c>.btrfsbackup-target.json</c>): which source the
/// directory belongs to, the receive under way (written before it starts, so a receive cut short is
/// known to be the tool's), and each snapshot sent there with the backup it became. A backup counts
/// for the pair when this record or its Received UUID proves it is the pair's; the record outlives the
/// source snapshot, so a snapshot sent once is never sent again after the target's retention removed it.
/// </summary>
internal sealed partial record TargetRecord(TargetRecord.Owner Source, TargetRecord.Receipt? Receiving, IReadOnlyList<TargetRecord.Receipt> Sent)
{
    public const string FileName = ".btrfsbackup-target.json";
    private const int Format = 1;

    // Serialization code generated at build time: no reflection, and nothing to compile at run time (the program is native code).
    private static readonly TargetRecordJson Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    });

    /// <summary>The source a target belongs to: its UUID decides; the rest is for messages.</summary>
    public sealed record Owner(Guid Uuid, string Path, string Pair, string Host)
    {
        public override string ToString() => $"source {Path} (UUID {Uuid}, pair '{Pair}' on {Host})";
    }

    /// <summary>A snapshot (by UUID and name) being received, or received into the backup <see cref="Backup"/>.</summary>
    public sealed record Receipt(Guid Snapshot, string Name, Guid? Backup = null, string? Path = null);

    public static string PathIn(string targetDirectory) => System.IO.Path.Combine(targetDirectory, FileName);

    public bool HasSent(Guid snapshotUuid) => Sent.Any(receipt => receipt.Snapshot == snapshotUuid);

    public bool IsRecordedBackup(Guid backupUuid) => Sent.Any(receipt => receipt.Backup == backupUuid);

    public TargetRecord StartReceiving(Guid snapshot, string name, string path) => this with { Receiving = new Receipt(snapshot, name, null, path) };

    /// <summary>The receive finished and its backup was checked: recorded as sent, nothing under way.</summary>
    public TargetRecord Received(Guid snapshot, string name, Guid backup) =>
        this with { Receiving = null, Sent = [.. Sent.Where(receipt => receipt.Snapshot != snapshot), new Receipt(snapshot, name, backup)] };

    public TargetRecord NothingReceiving() => this with { Receiving = null };

    /// <summary>Drops receipts that can no longer matter: neither their snapshot nor their backup exists any more.</summary>
    public TargetRecord Pruned(IEnumerable<Guid> sourceSnapshots, IEnumerable<Guid> backups)
    {
        var snapshots = sourceSnapshots.ToHashSet();
        var existing = backups.ToHashSet();
        return this with
        {
            Sent = Sent.Where(receipt => snapshots.Contains(receipt.Snapshot) || (receipt.Backup is { } backup && existing.Contains(backup))).ToList(),
        };
    }

    public string Serialize() =>
        JsonSerializer.Serialize(new Document(Format, Source, Receiving, [.. Sent]), Json.Document) + "\n";

    /// <exception cref="BackupException">The file is not a record this version can read.</exception>
    public static TargetRecord Parse(string text, string path)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize(text, Json.Document);
        }
        catch (JsonException e)
        {
            throw new BackupException($"the target record {path} is damaged ({e.Message}); move it aside only if this directory holds no backups of another source", e);
        }

        if (document is null || document.Format != Format || document.Source is null)
        {
            throw new BackupException($"the target record {path} is not in a format this version reads (format {document?.Format})");
        }

        return new TargetRecord(document.Source, document.Receiving, document.Sent ?? []);
    }

    private sealed record Document(int Format, Owner? Source, Receipt? Receiving, List<Receipt>? Sent);

    [JsonSerializable(typeof(Document))]
    private sealed partial class TargetRecordJson : JsonSerializerContext;
}
