using BtrfsBackup.Reporting;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tests.Records;

/// <summary>
/// The files a run leaves behind, byte for byte as the code before the native program wrote them
/// (reflection-bound System.Text.Json then, generated code now; these tests pass unchanged on
/// 3d017b9): each is read and written back unchanged, so a record written by either is read by the other.
/// </summary>
[TestFixture]
public sealed class RecordFormatTests
{
    [Test]
    public void The_target_record_reads_and_writes_back_as_written()
    {
        const string written = """
            {
              "format": 1,
              "source": {
                "uuid": "0b7c3c1e-8f2a-4d59-9d0e-2f6a1c3b4d5e",
                "path": "/home",
                "pair": "home",
                "host": "this machine"
              },
              "receiving": {
                "snapshot": "5d2e9b70-1c4a-4e3f-8b6d-7a9c0e1f2a3b",
                "name": "2026-11-02T03:00:00\u002B01:00",
                "path": "/mnt/backup/home/2026-11-02T03:00:00\u002B01:00"
              },
              "sent": [
                {
                  "snapshot": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "name": "2026-11-01T03:00:00\u002B01:00",
                  "backup": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"
                }
              ]
            }

            """;

        // System.Text.Json's default escaping, as it always wrote this record: a '+' in a name is \u002B.
        var record = TargetRecord.Parse(written, "/mnt/backup/home/.btrfsbackup-target.json");

        Assert.That(record.Source.Uuid, Is.EqualTo(Guid.Parse("0b7c3c1e-8f2a-4d59-9d0e-2f6a1c3b4d5e")));
        Assert.That(record.Receiving?.Path, Is.EqualTo("/mnt/backup/home/2026-11-02T03:00:00+01:00"));
        Assert.That(record.IsRecordedBackup(Guid.Parse("1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")), Is.True);
        Assert.That(record.Serialize(), Is.EqualTo(written));
    }

    [Test]
    public void The_source_record_reads_and_writes_back_as_written()
    {
        const string written = """
            {
              "format": 1,
              "sent": [
                "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                "5d2e9b70-1c4a-4e3f-8b6d-7a9c0e1f2a3b"
              ]
            }

            """;

        var record = SourceRecord.Parse(written, "/.snapshots/home/.btrfsbackup-source.json");

        Assert.That(record.Sent, Is.EqualTo(new[] { Guid.Parse("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"), Guid.Parse("5d2e9b70-1c4a-4e3f-8b6d-7a9c0e1f2a3b") }));
        Assert.That(record.Serialize(), Is.EqualTo(written));
    }

    [Test]
    public void A_history_line_reads_and_writes_back_as_written_nulls_kept_and_text_unescaped()
    {
        // Every field is written, null or not (the schema is stable), and text is not escaped beyond JSON's needs.
        const string written = """{"schema_version":1,"pair":"home","started":"2026-11-01T03:00:00+01:00","ended":"2026-11-01T03:00:07+01:00","outcome":"failed","failed_step":"Send","error":"target <disk> not mounted: é & 'quoted'","bytes_sent":0,"snapshots_made":["2026-11-01T03:00:00+01:00"],"snapshots_sent":[],"snapshots_deleted":{"source":[],"target":[]},"skipped":["Purge: the pair failed at Send"],"newest_backup":null}""";

        var record = RunRecord.TryParse(written);

        Assert.That(record, Is.Not.Null);
        Assert.That(record!.Error, Is.EqualTo("target <disk> not mounted: é & 'quoted'"));
        Assert.That(record.ToJsonLine(), Is.EqualTo(written));
    }
}
