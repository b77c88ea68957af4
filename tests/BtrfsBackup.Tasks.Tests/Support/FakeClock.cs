using System.Globalization;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Every run of the tool at a chosen instant and time zone, through libfaketime: the clock stands
/// still at that second for the whole run, so the snapshot it takes has a name the test knows in
/// advance. Each run also gets the sandbox's own lock and runtime folders, never the machine's.
/// </summary>
internal static class FakeClock
{
    public const string Library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    public static Dictionary<string, string?> Environment(BtrfsSandbox sandbox, DateTimeOffset instant, string zone)
    {
        if (!File.Exists(Library))
        {
            var reason = $"{Library} is missing (apt-get install libfaketime)";
            if (Requirements.IsCi)
            {
                Assert.Fail(reason);
            }

            Assert.Ignore(reason);
        }

        return new Dictionary<string, string?>
        {
            ["LD_PRELOAD"] = Library,
            ["FAKETIME_FMT"] = "%s",
            // Without a leading '@' the clock is stopped at that second. With '@' it would start there
            // and run on while Cake compiles and scans, so the snapshot's second could not be known.
            ["FAKETIME"] = instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
            ["TZ"] = zone,
            [Linux.RuntimeDirectory.EnvironmentVariable] = sandbox.Runtime.Root,
            [BtrfsBackup.Configuration.RunSettings.StateDirectoryVariable] = sandbox.StateFolder,
        };
    }

    /// <summary>The name a snapshot taken at <paramref name="instant"/> in <paramref name="zone"/> gets: local time and its UTC offset.</summary>
    public static string SnapshotName(DateTimeOffset instant, string zone, string? suffix = null)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone));
        var name = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return suffix is null ? name : $"{name}-{suffix}";
    }

    /// <summary>The UTC offset of <paramref name="zone"/> at <paramref name="instant"/>, as a name ends with it: "+01:00".</summary>
    public static string Offset(DateTimeOffset instant, string zone) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).ToString("zzz", CultureInfo.InvariantCulture);
}
