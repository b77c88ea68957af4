using System.Globalization;

namespace BtrfsBackup.Linux;

/// <summary>
/// A process told apart from any later one that reuses its id: the pid and its start time in clock
/// ticks since boot (field 22 of /proc/PID/stat).
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks)
{
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new ProcessIdentity(Environment.ProcessId, 0);

    /// <summary>Null when no process has that id now.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name in parentheses may hold spaces and parentheses itself: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? new ProcessIdentity(pid, start) : null;
    }

    /// <summary>True while this very process runs (not merely some process with its id).</summary>
    public bool IsAlive => Of(Pid) == this;

    /// <summary>"PID-START", as it appears in the names of transfer folders.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid}-{StartTicks}");

    public static bool TryParse(string text, out ProcessIdentity identity)
    {
        var parts = text.Split('-');
        identity = default;
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        identity = new ProcessIdentity(pid, start);
        return true;
    }
}
