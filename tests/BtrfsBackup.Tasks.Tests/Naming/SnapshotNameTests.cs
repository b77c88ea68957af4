using BtrfsBackup.Naming;

namespace BtrfsBackup.Tests.Naming;

[TestFixture]
public sealed class SnapshotNameTests
{
    [TestCase("2026-11-26T03:00:00", null)]
    [TestCase("2026-11-26T09:12:44-pre-upgrade", "pre-upgrade")]
    [TestCase("2026-01-02T23:59:59-v1.2_rc-3", "v1.2_rc-3")]
    [TestCase("2026-11-26T03:00:00-x", "x")]
    [TestCase("2026-11-26T03:00:00-9", "9")]
    [TestCase("2026-10-25T02:10:11+01:00", null)]
    [TestCase("2026-10-25T02:10:11+01:00-pre-upgrade", "pre-upgrade")]
    [TestCase("2026-11-01T01:10:00-05:00", null)]
    [TestCase("2026-11-01T01:10:00-05:00-05", "05")]
    [TestCase("2026-12-01T09:00:00+05:45", null)]
    [TestCase("2026-12-01T09:00:00+00:00", null)]
    [TestCase("2026-11-26T03:00:00-0500", "0500")]
    public void A_name_parses_and_formats_back_unchanged(string text, string? suffix)
    {
        Assert.That(SnapshotName.TryParse(text, out var name), Is.True);
        Assert.That(name.Suffix, Is.EqualTo(suffix));
        Assert.That(name.ToString(), Is.EqualTo(text));
    }

    [Test]
    public void The_time_in_the_name_is_read_to_the_second()
    {
        Assert.That(SnapshotName.TryParse("2026-11-26T09:12:44-pre-upgrade", out var name), Is.True);

        Assert.That(name.Time, Is.EqualTo(new DateTime(2026, 11, 26, 9, 12, 44)));
    }

    [Test]
    public void Create_formats_the_local_time_its_offset_and_the_suffix()
    {
        var name = SnapshotName.Create(new DateTimeOffset(2026, 11, 26, 9, 12, 44, TimeSpan.FromHours(1)), "pre-upgrade");

        Assert.That(name.ToString(), Is.EqualTo("2026-11-26T09:12:44+01:00-pre-upgrade"));
        Assert.That(SnapshotName.Create(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero), null).ToString(), Is.EqualTo("2026-11-26T03:00:00+00:00"));
        Assert.That(SnapshotName.Create(new DateTimeOffset(2026, 11, 1, 1, 10, 0, TimeSpan.FromHours(-5)), null).ToString(), Is.EqualTo("2026-11-01T01:10:00-05:00"));
    }

    [Test]
    public void Create_truncates_to_whole_seconds()
    {
        var time = new DateTimeOffset(2026, 11, 26, 3, 0, 5, 999, TimeSpan.FromHours(2)).AddTicks(9999);

        var name = SnapshotName.Create(time, null);

        Assert.That(name.Time, Is.EqualTo(new DateTime(2026, 11, 26, 3, 0, 5)));
        Assert.That(name.Time.Ticks % TimeSpan.TicksPerSecond, Is.Zero);
        Assert.That(name.ToString(), Is.EqualTo("2026-11-26T03:00:05+02:00"));
    }

    [Test]
    public void A_name_with_an_offset_is_one_instant_whatever_zone_reads_it()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        Assert.That(SnapshotName.TryParse("2026-10-25T02:10:11+01:00", berlin, out var inBerlin), Is.True);
        Assert.That(SnapshotName.TryParse("2026-10-25T02:10:11+01:00", newYork, out var inNewYork), Is.True);

        Assert.That(inBerlin.Instant, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 1, 10, 11, TimeSpan.Zero)));
        Assert.That(inNewYork.Instant, Is.EqualTo(inBerlin.Instant));
    }

    [Test]
    public void After_the_clocks_go_back_a_name_earlier_on_the_wall_clock_is_the_later_instant()
    {
        // Berlin, 2026-10-25: 02:50 summer time (00:50 UTC), then 20 minutes later 02:10 winter time (01:10 UTC).
        Assert.That(SnapshotName.TryParse("2026-10-25T02:50:12+02:00", out var before), Is.True);
        Assert.That(SnapshotName.TryParse("2026-10-25T02:10:11+01:00", out var after), Is.True);

        Assert.That(before < after, Is.True);
        Assert.That(after.Instant - before.Instant, Is.EqualTo(TimeSpan.FromMinutes(20) - TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void A_name_without_offset_is_read_as_local_time_in_the_zone_given()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.That(SnapshotName.TryParse("2026-07-01T03:00:00", berlin, out var summer), Is.True);
        Assert.That(SnapshotName.TryParse("2026-12-01T03:00:00-pre-upgrade", berlin, out var winter), Is.True);

        Assert.That(summer.Offset, Is.Null, "written without one");
        Assert.That(summer.ToString(), Is.EqualTo("2026-07-01T03:00:00"));
        Assert.That(summer.Instant, Is.EqualTo(new DateTimeOffset(2026, 7, 1, 1, 0, 0, TimeSpan.Zero)));
        Assert.That(winter.Instant, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Old_and_new_names_order_together_by_instant()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var names = new[] { "2026-10-25T02:10:11+01:00", "2026-10-24T03:00:00", "2026-10-25T02:50:12+02:00", "2026-10-25T03:00:00" }
            .Select(text => SnapshotName.TryParse(text, berlin, out var name) ? name : throw new AssertionException(text))
            .Order()
            .Select(name => name.ToString());

        Assert.That(names, Is.EqualTo(new[] { "2026-10-24T03:00:00", "2026-10-25T02:50:12+02:00", "2026-10-25T02:10:11+01:00", "2026-10-25T03:00:00" }));
    }

    [Test]
    public void A_created_name_equals_the_same_name_parsed()
    {
        var created = SnapshotName.Create(new DateTimeOffset(2026, 11, 26, 9, 12, 44, 250, TimeSpan.FromHours(-3)), "pre-upgrade");

        Assert.That(SnapshotName.TryParse(created.ToString(), out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(created));
    }

    [TestCase("2026-13-01T00:00:00")]
    [TestCase("2026-02-30T00:00:00")]
    [TestCase("2026-11-26T24:00:00")]
    [TestCase("2026-11-26T03:00:00-")]
    [TestCase("2026-11-26 03:00:00")]
    [TestCase("backup")]
    [TestCase("")]
    [TestCase("2026-11-26T03:00:00x")]
    [TestCase("2026-11-26T03:00:00_x")]
    [TestCase("2026-11-26T03:00")]
    [TestCase("2026-11-26t03:00:00")]
    [TestCase("26-11-26T03:00:00-ab")]
    [TestCase(" 2026-11-26T03:00:00")]
    [TestCase("2026-11-26T03:00:00 ")]
    [TestCase("2026-11-26T03:00:00--x")]
    [TestCase("2026-11-26T03:00:00-.hidden")]
    [TestCase("2026-11-26T03:00:00-..")]
    [TestCase("2026-11-26T03:00:00-a b")]
    [TestCase("2026-11-26T03:00:00-a/b")]
    [TestCase("2026-11-26T03:00:00-café")]
    [TestCase("2026-11-26T03:00:00-abc\n")]
    [TestCase("2026-11-26T03:00:00.5")]
    [TestCase("2026-11-26T03:00:00+25:00")]
    [TestCase("2026-11-26T03:00:00+01:60")]
    [TestCase("2026-11-26T03:00:00-01:60")]
    [TestCase("2026-11-26T03:00:00+01:00x")]
    [TestCase("2026-11-26T03:00:00+01:00-")]
    [TestCase("2026-11-26T03:00:00+0100")]
    [TestCase("2026-11-26T03:00:00+01")]
    [TestCase("2026-11-26T03:00:00Z")]
    public void A_foreign_name_is_not_parsed(string text)
    {
        Assert.That(SnapshotName.TryParse(text, out _), Is.False);
    }

    [Test]
    public void A_suffix_of_64_characters_parses_and_one_of_65_does_not()
    {
        Assert.That(SnapshotName.TryParse("2026-11-26T03:00:00-" + new string('a', 64), out _), Is.True);
        Assert.That(SnapshotName.TryParse("2026-11-26T03:00:00-" + new string('a', 65), out _), Is.False);
    }

    [Test]
    public void Names_order_by_time_then_suffix()
    {
        var texts = new[]
        {
            "2026-11-27T03:00:00",
            "2026-11-26T09:12:44-pre-upgrade",
            "2026-11-26T09:12:44",
            "2025-12-31T23:59:59-z",
            "2026-11-26T09:12:44-b",
            "2026-11-26T09:12:44-B",
            "2026-11-26T10:00:00-a",
        };
        var names = texts.Select(text => SnapshotName.TryParse(text, out var name) ? name : throw new AssertionException(text)).ToList();

        names.Sort();

        Assert.That(names.Select(name => name.ToString()), Is.EqualTo(new[]
        {
            "2025-12-31T23:59:59-z",
            "2026-11-26T09:12:44",
            "2026-11-26T09:12:44-B",
            "2026-11-26T09:12:44-b",
            "2026-11-26T09:12:44-pre-upgrade",
            "2026-11-26T10:00:00-a",
            "2026-11-27T03:00:00",
        }));
    }

    [Test]
    public void Comparison_operators_follow_the_order()
    {
        var earlier = SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 0), "z");
        var later = SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 1), "a");
        var same = SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 0), "z");

        Assert.That(earlier < later, Is.True);
        Assert.That(later > earlier, Is.True);
        Assert.That(earlier <= same && earlier >= same, Is.True);
        Assert.That(earlier > later, Is.False);
        Assert.That(earlier.CompareTo(null), Is.Positive);
        Assert.That(earlier, Is.EqualTo(same));
    }

    [TestCase("a")]
    [TestCase("pre-upgrade")]
    [TestCase("v1.2_rc-3")]
    [TestCase("0.")]
    [TestCase("Z_")]
    public void A_valid_suffix_is_accepted(string suffix)
    {
        Assert.That(SnapshotSuffix.Validate(suffix), Is.Null);
        Assert.That(SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 0), suffix).Suffix, Is.EqualTo(suffix));
    }

    [TestCase("", "Invalid snapshot suffix '': the suffix is empty.")]
    [TestCase("a/b", "Invalid snapshot suffix 'a/b': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("..", "Invalid snapshot suffix '..': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("../etc", "Invalid snapshot suffix '../etc': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("pre upgrade", "Invalid snapshot suffix 'pre upgrade': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase(" ", "Invalid snapshot suffix ' ': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("-x", "Invalid snapshot suffix '-x': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("_x", "Invalid snapshot suffix '_x': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("éte", "Invalid snapshot suffix 'éte': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    [TestCase("abc\n", "Invalid snapshot suffix 'abc\n': a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit.")]
    public void An_invalid_suffix_is_refused_with_a_clear_message(string suffix, string message)
    {
        Assert.That(SnapshotSuffix.Validate(suffix), Is.Not.Null);
        Assert.That(() => SnapshotSuffix.ThrowIfInvalid(suffix), Throws.TypeOf<BackupException>().With.Message.EqualTo(message));
        Assert.That(() => SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 0), suffix), Throws.TypeOf<BackupException>().With.Message.EqualTo(message));
    }

    [Test]
    public void A_suffix_may_be_64_characters_but_not_65()
    {
        Assert.That(SnapshotSuffix.Validate(new string('a', 64)), Is.Null);

        var tooLong = new string('a', 65);
        Assert.That(
            () => SnapshotName.Create(new DateTime(2026, 11, 26, 3, 0, 0), tooLong),
            Throws.TypeOf<BackupException>().With.Message.EqualTo($"Invalid snapshot suffix '{tooLong}': the suffix is 65 characters long, at most 64 are allowed."));
    }

    [Test]
    public void A_valid_suffix_passes_ThrowIfInvalid()
    {
        Assert.That(() => SnapshotSuffix.ThrowIfInvalid("pre-upgrade"), Throws.Nothing);
    }
}
