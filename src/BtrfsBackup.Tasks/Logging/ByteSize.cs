using System.Globalization;

namespace BtrfsBackup.Logging;

/// <summary>Byte counts and rates for people, in one unit system: 512 B, 3.4 MiB, 1.2 GiB, 31.5 MiB/s.</summary>
internal static class ByteSize
{
    private const double Mebibyte = 1024 * 1024;
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    /// <summary>"12.0 MiB in 0.4 s, 31.5 MiB/s"; below a mebibyte a rate says nothing, so just "124 B in 0.02 s".</summary>
    public static string Transferred(long bytes, TimeSpan elapsed) =>
        bytes < Mebibyte || elapsed <= TimeSpan.Zero
            ? $"{Format(bytes)} in {Seconds(elapsed)}"
            : $"{Format(bytes)} in {Seconds(elapsed)}, {Rate(bytes, elapsed)}";

    /// <summary>A running transfer: "600.0 MiB so far, 120.3 MiB/s".</summary>
    public static string Progress(long bytes, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? $"{Format(bytes)} so far" : $"{Format(bytes)} so far, {Rate(bytes, elapsed)}";

    public static string Rate(long bytes, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / Mebibyte / elapsed.TotalSeconds:0.0} MiB/s");

    private static string Seconds(TimeSpan elapsed) =>
        elapsed.TotalSeconds < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s");
}
