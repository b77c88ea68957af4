using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Tests.Btrfs;

/// <summary>Literal output of <c>btrfs subvolume show</c> from btrfs-progs 6.2 (tabs as printed).</summary>
[TestFixture]
public sealed class SubvolumeShowParserTests
{
    private const string ReadOnlySnapshot =
        "s1\n" +
        "\tName: \t\t\ts1\n" +
        "\tUUID: \t\t\te92f1216-792c-d444-bd3a-e4a0a587127c\n" +
        "\tParent UUID: \t\t76e06307-9a1d-f84e-94ba-45763ba3cb26\n" +
        "\tReceived UUID: \t\t-\n" +
        "\tCreation time: \t\t2026-11-26 20:08:36 +0000\n" +
        "\tSubvolume ID: \t\t257\n" +
        "\tGeneration: \t\t7\n" +
        "\tGen at creation: \t7\n" +
        "\tParent ID: \t\t5\n" +
        "\tTop level ID: \t\t5\n" +
        "\tFlags: \t\t\treadonly\n" +
        "\tSend transid: \t\t0\n" +
        "\tSend time: \t\t2026-11-26 20:08:36 +0000\n" +
        "\tReceive transid: \t0\n" +
        "\tReceive time: \t\t-\n" +
        "\tSnapshot(s):\n";

    private const string WritableSourceWithSnapshots =
        "my src\n" +
        "\tName: \t\t\tmy src\n" +
        "\tUUID: \t\t\t23870e8a-d47c-664e-9dce-3ab1c7f4158e\n" +
        "\tParent UUID: \t\t-\n" +
        "\tReceived UUID: \t\t-\n" +
        "\tCreation time: \t\t2026-11-26 20:18:51 +0000\n" +
        "\tSubvolume ID: \t\t256\n" +
        "\tGeneration: \t\t9\n" +
        "\tGen at creation: \t7\n" +
        "\tParent ID: \t\t5\n" +
        "\tTop level ID: \t\t5\n" +
        "\tFlags: \t\t\t-\n" +
        "\tSend transid: \t\t0\n" +
        "\tSend time: \t\t2026-11-26 20:18:51 +0000\n" +
        "\tReceive transid: \t0\n" +
        "\tReceive time: \t\t-\n" +
        "\tSnapshot(s):\n" +
        "\t\t\t\tmy src/.snaps/2026-11-26T03:00:00\n" +
        "\t\t\t\tmy src/.snaps/2026-11-26T09:12:44-pre upgrade\n" +
        "\t\t\t\tmy src/.snaps/it's mine\n";

    private const string ReceivedBackup =
        "2026-11-26T03:00:00\n" +
        "\tName: \t\t\t2026-11-26T03:00:00\n" +
        "\tUUID: \t\t\td5c8c495-9de0-eb4d-aa84-77a133366be2\n" +
        "\tParent UUID: \t\t-\n" +
        "\tReceived UUID: \t\t14f8a778-66e3-9147-ad33-28e37c5706a1\n" +
        "\tCreation time: \t\t2026-11-26 20:18:51 +0000\n" +
        "\tSubvolume ID: \t\t256\n" +
        "\tGeneration: \t\t7\n" +
        "\tGen at creation: \t7\n" +
        "\tParent ID: \t\t5\n" +
        "\tTop level ID: \t\t5\n" +
        "\tFlags: \t\t\treadonly\n" +
        "\tSend transid: \t\t7\n" +
        "\tSend time: \t\t2026-11-26 20:18:51 +0000\n" +
        "\tReceive transid: \t7\n" +
        "\tReceive time: \t\t2026-11-26 20:18:51 +0000\n" +
        "\tSnapshot(s):\n";

    [Test]
    public void Reads_a_read_only_snapshot()
    {
        var info = SubvolumeShowParser.Parse("/tmp/bt/m/s1", ReadOnlySnapshot);

        Assert.That(info, Is.EqualTo(new SubvolumeInfo(
            "/tmp/bt/m/s1",
            Guid.Parse("e92f1216-792c-d444-bd3a-e4a0a587127c"),
            Guid.Parse("76e06307-9a1d-f84e-94ba-45763ba3cb26"),
            null,
            IsReadOnly: true,
            Generation: 7,
            CreationGeneration: 7)));
        Assert.That(info.Name, Is.EqualTo("s1"));
    }

    [Test]
    public void Reads_a_writable_subvolume_whose_snapshot_list_holds_colons()
    {
        var info = SubvolumeShowParser.Parse("/mnt/a/my src", WritableSourceWithSnapshots);

        Assert.That(info, Is.EqualTo(new SubvolumeInfo(
            "/mnt/a/my src",
            Guid.Parse("23870e8a-d47c-664e-9dce-3ab1c7f4158e"),
            null,
            null,
            IsReadOnly: false,
            Generation: 9,
            CreationGeneration: 7)));
        Assert.That(info.Name, Is.EqualTo("my src"));
    }

    [Test]
    public void Reads_the_received_uuid_of_a_backup()
    {
        var info = SubvolumeShowParser.Parse("/mnt/backup/2026-11-26T03:00:00", ReceivedBackup);

        Assert.That(info.Uuid, Is.EqualTo(Guid.Parse("d5c8c495-9de0-eb4d-aa84-77a133366be2")));
        Assert.That(info.ReceivedUuid, Is.EqualTo(Guid.Parse("14f8a778-66e3-9147-ad33-28e37c5706a1")));
        Assert.That(info.ParentUuid, Is.Null);
        Assert.That(info.IsReadOnly, Is.True);
        Assert.That(info.Name, Is.EqualTo("2026-11-26T03:00:00"));
    }

    [Test]
    public void A_first_line_that_looks_like_a_field_is_only_the_name()
    {
        var output = "UUID: not-a-uuid\n" + ReadOnlySnapshot[(ReadOnlySnapshot.IndexOf('\n', StringComparison.Ordinal) + 1)..];

        Assert.That(SubvolumeShowParser.Parse("/m/UUID: not-a-uuid", output).Uuid, Is.EqualTo(Guid.Parse("e92f1216-792c-d444-bd3a-e4a0a587127c")));
    }

    [Test]
    public void Output_without_a_uuid_is_an_error_naming_the_path()
    {
        const string Output = "ERROR: Not a Btrfs subvolume: Invalid argument\n";

        Assert.That(
            () => SubvolumeShowParser.Parse("/mnt/plain", Output),
            Throws.TypeOf<BackupException>().With.Message.EqualTo("Unexpected output from 'btrfs subvolume show /mnt/plain': no UUID line."));
    }
}
