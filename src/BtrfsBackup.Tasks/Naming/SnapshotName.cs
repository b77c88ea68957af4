using System.Globalization;

namespace BtrfsBackup.Naming;

/// <summary>
/// The name of a snapshot: <c>YYYY-MM-DDTHH:MM:SS</c> in local time as people read it, the UTC offset
/// of that moment (<c>+01:00</c>), then optionally <c>-suffix</c>. The offset makes the name one
/// instant, so a DST change, a new time zone or a clock step never misorders snapshots. Names made
/// before the offset was added (<c>2026-11-26T03:00:00</c>) are still read, as local time.
/// </summary>
public sealed record SnapshotName : IComparable<SnapshotName>
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss";
    private const int TimeLength = 19;
    private const int OffsetLength = 6;

    private SnapshotName(DateTime time, TimeSpan? offset, DateTimeOffset instant, string? suffix)
    {
        Time = time;
        Offset = offset;
        Instant = instant;
        Suffix = suffix;
    }

    /// <summary>The wall-clock time written in the name, to the second.</summary>
    public DateTime Time { get; }

    /// <summary>The UTC offset written in the name; null for a name from before offsets were written.</summary>
    public TimeSpan? Offset { get; }

    /// <summary>The moment the name stands for: what ordering, parents and retention ages use.</summary>
    public DateTimeOffset Instant { get; }

    /// <summary>The comment after the time (<c>pre-upgrade</c>); null when there is none.</summary>
    public string? Suffix { get; }

    /// <summary>Makes the name for a snapshot taken at <paramref name="localNow"/> (local time with its offset).</summary>
    /// <exception cref="BackupException">The suffix breaks the naming rules.</exception>
    public static SnapshotName Create(DateTimeOffset localNow, string? suffix)
    {
        if (suffix is not null)
        {
            SnapshotSuffix.ThrowIfInvalid(suffix);
        }

        var seconds = new DateTimeOffset(localNow.Ticks - (localNow.Ticks % TimeSpan.TicksPerSecond), localNow.Offset);
        return new SnapshotName(seconds.DateTime, seconds.Offset, seconds, suffix);
    }

    /// <summary>
    /// Parses a directory entry's name; false for anything that is not ours (a foreign name). A name
    /// without offset is read in <paramref name="legacyZone"/>, the local zone of the run.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo legacyZone, out SnapshotName name)
    {
        ArgumentNullException.ThrowIfNull(legacyZone);
        name = null!;
        if (text.Length < TimeLength
            || !DateTime.TryParseExact(text[..TimeLength], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        var rest = text[TimeLength..];
        TimeSpan? offset = null;
        if (TryParseOffset(rest, out var parsed))
        {
            offset = parsed;
            rest = rest[OffsetLength..];
        }

        string? suffix = null;
        if (rest.Length > 0)
        {
            if (rest[0] != '-' || SnapshotSuffix.Validate(rest[1..]) is not null)
            {
                return false;
            }

            suffix = rest[1..];
        }

        var instant = new DateTimeOffset(time, offset ?? legacyZone.GetUtcOffset(time));
        name = new SnapshotName(time, offset, instant, suffix);
        return true;
    }

    /// <summary>Parses with names without offset read in this machine's local zone.</summary>
    public static bool TryParse(string text, out SnapshotName name) => TryParse(text, TimeZoneInfo.Local, out name);

    /// <summary>By instant; names of the same instant by suffix, then by spelling, so the order is total.</summary>
    public int CompareTo(SnapshotName? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byInstant = Instant.UtcTicks.CompareTo(other.Instant.UtcTicks);
        if (byInstant != 0)
        {
            return byInstant;
        }

        var bySuffix = string.CompareOrdinal(Suffix, other.Suffix);
        return bySuffix != 0 ? bySuffix : string.CompareOrdinal(ToString(), other.ToString());
    }

    /// <summary>The name as it stands on disk: <c>2026-11-26T03:00:00+01:00</c>, with <c>-SUFFIX</c> when there is one.</summary>
    public override string ToString()
    {
        var text = Time.ToString(TimeFormat, CultureInfo.InvariantCulture);
        if (Offset is { } offset)
        {
            text += (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);
        }

        return Suffix is null ? text : $"{text}-{Suffix}";
    }

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/> (by instant, then suffix).</summary>
    public static bool operator <(SnapshotName left, SnapshotName right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/> (by instant, then suffix).</summary>
    public static bool operator >(SnapshotName left, SnapshotName right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is not after <paramref name="right"/>.</summary>
    public static bool operator <=(SnapshotName left, SnapshotName right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is not before <paramref name="right"/>.</summary>
    public static bool operator >=(SnapshotName left, SnapshotName right) => left.CompareTo(right) >= 0;

    // "+01:00" or "-05:00" at the start of text; a suffix can never look like this, since it holds no ':'.
    // "-00:00" (RFC 3339's "offset unknown") is not one: it would be written back as "+00:00", another name.
    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = default;
        if (text.Length < OffsetLength || text[0] is not ('+' or '-') || text[3] != ':'
            || !int.TryParse(text.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || hours > 14 || minutes > 59 || (text[0] == '-' && hours == 0 && minutes == 0))
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0) * (text[0] == '-' ? -1 : 1);
        return true;
    }
}
