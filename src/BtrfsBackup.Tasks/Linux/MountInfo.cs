using System.Globalization;
using System.Text;

namespace BtrfsBackup.Linux;

/// <summary>One line of <c>/proc/self/mountinfo</c>: the mount's ID, where it is mounted, the path inside its filesystem mounted there, and the filesystem type.</summary>
internal sealed record MountInfo(int Id, string MountPoint, string Root, string Type)
{
    /// <summary>Every mount, in the kernel's order; null when a line is not in the documented form.</summary>
    public static IReadOnlyList<MountInfo>? Parse(IEnumerable<string> lines)
    {
        var mounts = new List<MountInfo>();
        foreach (var line in lines)
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", Math.Min(6, fields.Length));
            if (fields.Length < 7 || separator < 0 || separator + 1 >= fields.Length
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return null;
            }

            mounts.Add(new MountInfo(id, Unescape(fields[4]), Unescape(fields[3]), fields[separator + 1]));
        }

        return mounts;
    }

    /// <summary>
    /// The mount <paramref name="realPath"/> is on. With the mount ID the kernel gave for it (statx's
    /// <c>stx_mnt_id</c>), that mount and no other: a mount point can hold a stack of mounts, and a
    /// mount can be hidden by one made over a folder above it, so no rule on paths can tell. Without
    /// one (a kernel before 5.8), the longest mount point the path is at or below, of equal ones the
    /// last listed, as <c>findmnt --target</c> answers.
    /// </summary>
    public static MountInfo? Pick(IReadOnlyList<MountInfo> mounts, string realPath, ulong? mountId)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mountId is { } id)
        {
            return mounts.FirstOrDefault(mount => (ulong)mount.Id == id);
        }

        MountInfo? best = null;
        foreach (var mount in mounts)
        {
            if (IsAtOrBelow(realPath, mount.MountPoint) && (best is null || mount.MountPoint.Length >= best.MountPoint.Length))
            {
                best = mount;
            }
        }

        return best;
    }

    private static bool IsAtOrBelow(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    // mountinfo writes space, tab, newline and backslash in octal (\040, \011, \012, \134); nothing else is escaped.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(string field, int start) =>
        start + 3 <= field.Length && field.Substring(start, 3).All(digit => digit is >= '0' and <= '7');
}
