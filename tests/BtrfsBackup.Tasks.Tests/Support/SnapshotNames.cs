using BtrfsBackup.Naming;

namespace BtrfsBackup.Tests.Support;

/// <summary>The name the tool gives a snapshot taken at a local time on this machine (its offset included).</summary>
internal static class SnapshotNames
{
    public static string At(DateTime localTime, string? suffix = null) => SnapshotName.Create(new DateTimeOffset(localTime), suffix).ToString();

    /// <summary>A name as the versions before offsets wrote them: the wall-clock time alone.</summary>
    public static string WithoutOffset(DateTime time, string? suffix = null)
    {
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return suffix is null ? text : $"{text}-{suffix}";
    }
}
