using System.Globalization;

namespace BtrfsBackup.Naming;

/// <summary>
/// The name of a snapshot: <c>YYYY-MM-DDTHH:MM:SS</c> in local time, optionally followed by
/// <c>-suffix</c>. The time in the name is the snapshot's time for ordering and retention.
/// </summary>
public sealed record SnapshotName : IComparable<SnapshotName>
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss";
    private const int TimeLength = 19;

    private SnapshotName(DateTime time, string? suffix)
    {
        Time = time;
        Suffix = suffix;
    }

    /// <summary>Local wall-clock time, to the second.</summary>
    public DateTime Time { get; }

    public string? Suffix { get; }

    /// <summary>Makes the name for a snapshot taken at <paramref name="localTime"/>.</summary>
    /// <exception cref="BackupException">The suffix breaks the naming rules.</exception>
    public static SnapshotName Create(DateTime localTime, string? suffix)
    {
        if (suffix is not null)
        {
            SnapshotSuffix.ThrowIfInvalid(suffix);
        }

        var seconds = new DateTime(localTime.Ticks - (localTime.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Unspecified);
        return new SnapshotName(seconds, suffix);
    }

    /// <summary>Parses a directory entry's name; false for anything that is not ours (a foreign name).</summary>
    public static bool TryParse(string text, out SnapshotName name)
    {
        name = null!;
        if (text.Length < TimeLength)
        {
            return false;
        }

        if (!DateTime.TryParseExact(text[..TimeLength], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return false;
        }

        string? suffix = null;
        if (text.Length > TimeLength)
        {
            if (text[TimeLength] != '-')
            {
                return false;
            }

            suffix = text[(TimeLength + 1)..];
            if (SnapshotSuffix.Validate(suffix) is not null)
            {
                return false;
            }
        }

        name = new SnapshotName(time, suffix);
        return true;
    }

    public int CompareTo(SnapshotName? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byTime = Time.CompareTo(other.Time);
        return byTime != 0 ? byTime : string.CompareOrdinal(Suffix, other.Suffix);
    }

    public override string ToString()
    {
        var time = Time.ToString(TimeFormat, CultureInfo.InvariantCulture);
        return Suffix is null ? time : $"{time}-{Suffix}";
    }

    public static bool operator <(SnapshotName left, SnapshotName right) => left.CompareTo(right) < 0;

    public static bool operator >(SnapshotName left, SnapshotName right) => left.CompareTo(right) > 0;

    public static bool operator <=(SnapshotName left, SnapshotName right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SnapshotName left, SnapshotName right) => left.CompareTo(right) >= 0;
}
