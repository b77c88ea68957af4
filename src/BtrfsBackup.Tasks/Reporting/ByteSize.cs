using System.Globalization;

namespace BtrfsBackup.Reporting;

/// <summary>Byte counts for people: 512 B, 3.4 MiB, 1.2 GiB.</summary>
public static class ByteSize
{
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
            ? $"{bytes} B"
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }

    public static string Rate(double megabytesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{megabytesPerSecond:0.0} MB/s");
}
