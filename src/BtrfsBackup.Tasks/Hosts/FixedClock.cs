namespace BtrfsBackup.Hosts;

/// <summary>A clock that always says <paramref name="now"/>, in <paramref name="zone"/>: for a purge judged at a chosen time, and for tests.</summary>
internal sealed class FixedClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    public FixedClock(DateTimeOffset now)
        : this(now, TimeZoneInfo.Local)
    {
    }

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
