using System.Globalization;

namespace BtrfsBackup.Tests.Support;

/// <summary>Finding the processes of a run, to interrupt them the way a fault would.</summary>
internal static class Processes
{
    /// <summary>The pid of the first process whose command line starts with <paramref name="start"/> and contains <paramref name="marker"/>.</summary>
    public static async Task<int> WaitForAsync(string start, string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (pid, commandLine) in All())
            {
                if (commandLine.StartsWith(start, StringComparison.Ordinal) && commandLine.Contains(marker, StringComparison.Ordinal))
                {
                    return pid;
                }
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"no process '{start} ... {marker}' appeared within {timeout}");
    }

    /// <summary><paramref name="pid"/> and its direct children (`dotnet cake` runs Cake in a child process).</summary>
    public static List<int> Tree(int pid)
    {
        var tree = new List<int> { pid };
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(directory => char.IsAsciiDigit(Path.GetFileName(directory)[0])))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(directory, "stat")).Split(") ")[^1].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    tree.Add(int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture));
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
        }

        return tree;
    }

    private static IEnumerable<(int Pid, string CommandLine)> All()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(directory => char.IsAsciiDigit(Path.GetFileName(directory)[0])))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }

            yield return (int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture), commandLine);
        }
    }
}
