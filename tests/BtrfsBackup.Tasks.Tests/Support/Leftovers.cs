namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Mounts and loop devices made by sandboxes, recognised by the folder prefix and the id of the
/// process that made them, so that a run never sweeps away another live run's filesystems.
/// </summary>
internal static class Leftovers
{
    /// <summary>What this process made and still holds.</summary>
    public static List<string> FindOwn()
    {
        var own = $"{BtrfsSandbox.FolderPrefix}{Environment.ProcessId}-";
        var found = MountsOfOurs(own).Select(mount => $"mount {mount}").ToList();
        found.AddRange(LoopDevicesOfOurs(own).Select(device => $"loop device {device}"));
        return found;
    }

    /// <summary>Removes what this process, or any dead process, left.</summary>
    public static void Remove()
    {
        foreach (var mount in MountsOfOurs(BtrfsSandbox.FolderPrefix).Where(IsOrphaned).OrderByDescending(mount => mount.Length))
        {
            if (Shell.TryRun("umount", mount).ExitCode != 0)
            {
                Shell.TryRun("umount", "-l", mount);
            }
        }

        foreach (var device in LoopDevicesOfOurs(BtrfsSandbox.FolderPrefix).Where(IsOrphaned))
        {
            Shell.TryRun("losetup", "-d", device.Split(' ')[0]);
        }
    }

    // The text holds "PREFIX<pid>-": orphaned when that pid is ours or no longer alive.
    private static bool IsOrphaned(string text)
    {
        var pidText = new string(text[(text.IndexOf(BtrfsSandbox.FolderPrefix, StringComparison.Ordinal) + BtrfsSandbox.FolderPrefix.Length)..]
            .TakeWhile(char.IsAsciiDigit).ToArray());
        return !int.TryParse(pidText, out var pid) || pid == Environment.ProcessId || !Directory.Exists($"/proc/{pid}");
    }

    private static List<string> MountsOfOurs(string prefix) =>
        File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(mountPoint => mountPoint.Contains(prefix, StringComparison.Ordinal))
            .ToList();

    private static List<string> LoopDevicesOfOurs(string prefix)
    {
        var listing = Shell.TryRun("losetup", "-a");
        return listing.ExitCode != 0
            ? []
            : listing.StandardOutput.Split('\n')
                .Where(line => line.Contains(prefix, StringComparison.Ordinal))
                .Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)] + " " + line[line.IndexOf(prefix, StringComparison.Ordinal)..])
                .ToList();
    }
}
