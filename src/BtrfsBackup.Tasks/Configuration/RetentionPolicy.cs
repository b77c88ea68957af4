using System.Globalization;
using System.Text;

namespace BtrfsBackup.Configuration;

/// <summary>
/// How long snapshots stay at one location. A snapshot is kept when any rule keeps it: it is among
/// the newest <see cref="KeepCount"/>, younger than <see cref="KeepDays"/> days, or the oldest
/// snapshot of one of the newest <see cref="KeepHourly"/> hours (days, weeks, months, years) that
/// hold a snapshot. <see cref="KeepSuffixedDays"/> protects snapshots with a suffix above every rule.
/// A count of 0 turns its rule off; <see cref="All"/> keeps every period.
/// </summary>
public sealed record RetentionPolicy(int KeepDays, int KeepCount)
{
    /// <summary>A period count meaning every period (<c>"all"</c> in the file).</summary>
    public const int All = int.MaxValue;

    /// <summary>A <see cref="KeepSuffixedDays"/> meaning until deleted by hand (<c>keep_suffixed = true</c>).</summary>
    public const int Forever = int.MaxValue;

    /// <summary>Keep the oldest snapshot of each of the newest so many hours that hold one (<c>keep_hourly</c>); 0: off.</summary>
    public int KeepHourly { get; init; }

    /// <summary>Keep the oldest snapshot of each of the newest so many days that hold one (<c>keep_daily</c>); 0: off.</summary>
    public int KeepDaily { get; init; }

    /// <summary>Keep the oldest snapshot of each of the newest so many weeks that hold one (<c>keep_weekly</c>); 0: off.</summary>
    public int KeepWeekly { get; init; }

    /// <summary>Keep the oldest snapshot of each of the newest so many months that hold one (<c>keep_monthly</c>); 0: off.</summary>
    public int KeepMonthly { get; init; }

    /// <summary>Keep the oldest snapshot of each of the newest so many years that hold one (<c>keep_yearly</c>); 0: off.</summary>
    public int KeepYearly { get; init; }

    /// <summary>The first day of a week (<c>week_starts_on</c>); Monday, as ISO 8601 weeks, unless set.</summary>
    public DayOfWeek WeekStartsOn { get; init; } = DayOfWeek.Monday;

    /// <summary>The local hour at which a day (and so a week, month and year) begins (<c>day_starts_at_hour</c>), 0-23.</summary>
    public int DayStartsAtHour { get; init; }

    /// <summary>
    /// Snapshots with a suffix (<c>-pre-upgrade</c>) are kept while younger than this many days,
    /// whatever the other rules say: 0 (<c>keep_suffixed = false</c>, the default) protects them no more
    /// than any snapshot, <see cref="Forever"/> (<c>true</c>) until deleted by hand.
    /// </summary>
    public int KeepSuffixedDays { get; init; }

    /// <summary>The calendar rules that are on, finest first.</summary>
    internal IEnumerable<(RetentionPeriod Period, int Count)> CalendarRules
    {
        get
        {
            var rules = new (RetentionPeriod Period, int Count)[]
            {
                (RetentionPeriod.Hour, KeepHourly), (RetentionPeriod.Day, KeepDaily), (RetentionPeriod.Week, KeepWeekly),
                (RetentionPeriod.Month, KeepMonthly), (RetentionPeriod.Year, KeepYearly),
            };
            return rules.Where(rule => rule.Count > 0);
        }
    }

    /// <summary>The key a period's count is set with: <c>keep_weekly</c>.</summary>
    internal static string KeyOf(RetentionPeriod period) => period switch
    {
        RetentionPeriod.Hour => "keep_hourly",
        RetentionPeriod.Day => "keep_daily",
        RetentionPeriod.Week => "keep_weekly",
        RetentionPeriod.Month => "keep_monthly",
        RetentionPeriod.Year => "keep_yearly",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    /// <summary>A count as the file writes it: <c>8</c> or <c>all</c>.</summary>
    public static string CountText(int count) => count == All ? "all" : count.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>keep_suffixed</c> as the file writes it.</summary>
    public string KeepSuffixedText => KeepSuffixedDays switch
    {
        0 => "false",
        Forever => "true",
        var days => days.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The policy as the file would write it; keys at their defaults are left out, except the two original ones.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"keep_days = {KeepDays}, keep_count = {KeepCount}");
        foreach (var (period, count) in CalendarRules)
        {
            text.Append(CultureInfo.InvariantCulture, $", {KeyOf(period)} = {CountText(count)}");
        }

        if (WeekStartsOn != DayOfWeek.Monday)
        {
            text.Append(CultureInfo.InvariantCulture, $", week_starts_on = {WeekStartsOn.ToString().ToLowerInvariant()}");
        }

        if (DayStartsAtHour != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", day_starts_at_hour = {DayStartsAtHour}");
        }

        if (KeepSuffixedDays != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", keep_suffixed = {KeepSuffixedText}");
        }

        return text.ToString();
    }
}

/// <summary>The calendar periods a retention rule counts.</summary>
internal enum RetentionPeriod
{
    Hour,
    Day,
    Week,
    Month,
    Year,
}
