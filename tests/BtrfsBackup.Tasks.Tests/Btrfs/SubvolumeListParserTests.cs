using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Tests.Btrfs;

/// <summary>Literal output of <c>btrfs subvolume list -o -u -q -R</c> from btrfs-progs 6.2.</summary>
[TestFixture]
public sealed class SubvolumeListParserTests
{
    private const string SnapshotOfSubvolumeMountedElsewhere =
        "ID 258 gen 8 top level 256 parent_uuid 76e06307-9a1d-f84e-94ba-45763ba3cb26 received_uuid -                                    uuid c47db140-2a59-9041-967b-e5534c3a6ff4 path src/.snaps/x1\n";

    private const string SnapshotsWithSpacesAndQuotes =
        "ID 257 gen 7 top level 256 parent_uuid 23870e8a-d47c-664e-9dce-3ab1c7f4158e received_uuid -                                    uuid 14f8a778-66e3-9147-ad33-28e37c5706a1 path my src/.snaps/2026-11-26T03:00:00\n" +
        "ID 258 gen 8 top level 256 parent_uuid 23870e8a-d47c-664e-9dce-3ab1c7f4158e received_uuid -                                    uuid a51715bc-6685-c842-821d-383d2ecb8814 path my src/.snaps/2026-11-26T09:12:44-pre upgrade\n" +
        "ID 259 gen 9 top level 256 parent_uuid 23870e8a-d47c-664e-9dce-3ab1c7f4158e received_uuid -                                    uuid 808807bf-02db-7141-af2c-447f4283f6c6 path my src/.snaps/it's mine\n";

    private const string ReceivedBackup =
        "ID 256 gen 7 top level 5 parent_uuid -                                    received_uuid 14f8a778-66e3-9147-ad33-28e37c5706a1 uuid d5c8c495-9de0-eb4d-aa84-77a133366be2 path 2026-11-26T03:00:00\n";

    [Test]
    public void Reads_a_snapshot_with_a_parent_and_no_received_uuid()
    {
        var entry = SubvolumeListParser.Parse(SnapshotOfSubvolumeMountedElsewhere).Single();

        Assert.That(entry, Is.EqualTo(new SubvolumeListEntry(
            258,
            "src/.snaps/x1",
            Guid.Parse("c47db140-2a59-9041-967b-e5534c3a6ff4"),
            Guid.Parse("76e06307-9a1d-f84e-94ba-45763ba3cb26"),
            null,
            Generation: 8)));
    }

    [Test]
    public void Reads_the_generation_and_creation_generation_of_a_listing_with_g_and_c()
    {
        var entry = SubvolumeListParser.Parse(
            "ID 260 gen 9 cgen 7 top level 5 parent_uuid e277ede7-0937-4c47-9d52-110444e53ca0 received_uuid -                                    uuid ac168e14-14d5-d84c-84c4-74492921e136 path snaps/s2\n")
            .Single();

        Assert.That((entry.Generation, entry.CreationGeneration), Is.EqualTo((9L, 7L)));
        Assert.That(entry.FsPath, Is.EqualTo("snaps/s2"));
    }

    [Test]
    public void Reads_paths_with_spaces_and_quotes_to_the_end_of_the_line()
    {
        var entries = SubvolumeListParser.Parse(SnapshotsWithSpacesAndQuotes);

        Assert.That(entries.Select(entry => entry.Id), Is.EqualTo(new long[] { 257, 258, 259 }));
        Assert.That(entries.Select(entry => entry.FsPath), Is.EqualTo(new[]
        {
            "my src/.snaps/2026-11-26T03:00:00",
            "my src/.snaps/2026-11-26T09:12:44-pre upgrade",
            "my src/.snaps/it's mine",
        }));
        Assert.That(entries.Select(entry => entry.Uuid), Is.EqualTo(new[]
        {
            Guid.Parse("14f8a778-66e3-9147-ad33-28e37c5706a1"),
            Guid.Parse("a51715bc-6685-c842-821d-383d2ecb8814"),
            Guid.Parse("808807bf-02db-7141-af2c-447f4283f6c6"),
        }));
        Assert.That(entries.Select(entry => entry.ParentUuid), Is.All.EqualTo(Guid.Parse("23870e8a-d47c-664e-9dce-3ab1c7f4158e")));
        Assert.That(entries.Select(entry => entry.ReceivedUuid), Is.All.Null);
    }

    [Test]
    public void Reads_a_received_subvolume_with_no_parent()
    {
        var entry = SubvolumeListParser.Parse(ReceivedBackup).Single();

        Assert.That(entry.Id, Is.EqualTo(256));
        Assert.That(entry.FsPath, Is.EqualTo("2026-11-26T03:00:00"));
        Assert.That(entry.Uuid, Is.EqualTo(Guid.Parse("d5c8c495-9de0-eb4d-aa84-77a133366be2")));
        Assert.That(entry.ParentUuid, Is.Null);
        Assert.That(entry.ReceivedUuid, Is.EqualTo(Guid.Parse("14f8a778-66e3-9147-ad33-28e37c5706a1")));
    }

    [Test]
    public void Words_like_uuid_and_path_inside_the_path_are_part_of_the_path()
    {
        const string Line =
            "ID 300 gen 9 top level 256 parent_uuid - received_uuid - uuid 808807bf-02db-7141-af2c-447f4283f6c6 path snaps/a path uuid 14f8a778-66e3-9147-ad33-28e37c5706a1 received_uuid x\n";

        var entry = SubvolumeListParser.Parse(Line).Single();

        Assert.That(entry.FsPath, Is.EqualTo("snaps/a path uuid 14f8a778-66e3-9147-ad33-28e37c5706a1 received_uuid x"));
        Assert.That(entry.Uuid, Is.EqualTo(Guid.Parse("808807bf-02db-7141-af2c-447f4283f6c6")));
        Assert.That(entry.ParentUuid, Is.Null);
        Assert.That(entry.ReceivedUuid, Is.Null);
    }

    [Test]
    public void Empty_output_is_no_subvolumes()
    {
        Assert.That(SubvolumeListParser.Parse(string.Empty), Is.Empty);
        Assert.That(SubvolumeListParser.Parse("\n"), Is.Empty);
    }

    [Test]
    public void An_unexpected_line_is_an_error_that_quotes_it()
    {
        const string Output = "ERROR: can't perform the search: Operation not permitted\n";

        Assert.That(
            () => SubvolumeListParser.Parse(Output),
            Throws.TypeOf<BackupException>().With.Message.EqualTo("Unexpected line from 'btrfs subvolume list': ERROR: can't perform the search: Operation not permitted"));
    }
}
