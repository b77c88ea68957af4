using System.Globalization;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Planning;

/// <summary>
/// Which hour, day, week, month and year an instant falls in, in the local time zone of the machine.
/// Days (and so weeks, months and years) start at <c>day_starts_at_hour</c> on the local clock, so a
/// DST day is 23 or 25 hours long; weeks start on <c>week_starts_on</c>. An hour is an hour of the local
/// clock at its UTC offset, so the hour a DST night repeats is two periods.
/// </summary>
internal sealed class CalendarPeriods(TimeZoneInfo zone, DayOfWeek weekStartsOn, int dayStartsAtHour)
{
    /// <summary>One period: <see cref="Key"/> orders periods of a kind in time; <see cref="Label"/> names it in reasons.</summary>
    internal readonly record struct Period(long Key, string Label);

    public static CalendarPeriods For(RetentionPolicy policy, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new CalendarPeriods(zone, policy.WeekStartsOn, policy.DayStartsAtHour);
    }

    public Period Of(RetentionPeriod kind, DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        if (kind == RetentionPeriod.Hour)
        {
            var start = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
            return new Period(start.UtcTicks, Invariant($"hour {start:yyyy-MM-dd'T'HH:mm}{Offset(start.Offset)}"));
        }

        // The wall clock moved back to the start of the day: what a clock reading "day_starts_at_hour" shows as midnight.
        var day = DateOnly.FromDateTime(local.DateTime.AddHours(-dayStartsAtHour));
        switch (kind)
        {
            case RetentionPeriod.Day:
                return new Period(day.DayNumber, Invariant($"day {day:yyyy-MM-dd}"));
            case RetentionPeriod.Week:
                var first = day.AddDays(-(((int)day.DayOfWeek - (int)weekStartsOn + 7) % 7));
                var label = weekStartsOn == DayOfWeek.Monday
                    ? Invariant($"week {ISOWeek.GetYear(first.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(first.ToDateTime(TimeOnly.MinValue)):00}")
                    : Invariant($"week starting {first.DayOfWeek} {first:yyyy-MM-dd}");
                return new Period(first.DayNumber, label);
            case RetentionPeriod.Month:
                return new Period((day.Year * 12L) + day.Month - 1, Invariant($"month {day:yyyy-MM}"));
            case RetentionPeriod.Year:
                return new Period(day.Year, Invariant($"year {day:yyyy}"));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
