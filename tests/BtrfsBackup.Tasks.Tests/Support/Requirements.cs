namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Whether real btrfs tests can run here. Without root, btrfs-progs or loop devices they are
/// skipped with the reason, except under CI=true, where a skip would hide a broken set-up.
/// </summary>
internal static class Requirements
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static void EnsureRealBtrfs()
    {
        if (Missing.Value is { } reason)
        {
            if (IsCi)
            {
                Assert.Fail($"Real btrfs tests cannot run under CI=true: {reason}");
            }

            Assert.Ignore($"Real btrfs tests skipped: {reason}");
        }
    }

    private static string? FindMissing()
    {
        if (Environment.UserName != "root")
        {
            return "not running as root";
        }

        if (!File.Exists("/dev/loop-control"))
        {
            return "no loop device support (/dev/loop-control is missing)";
        }

        foreach (var tool in new[] { "btrfs", "mkfs.btrfs", "losetup", "mount", "findmnt" })
        {
            if (Shell.TryRun("sh", "-c", $"command -v {tool}").ExitCode != 0)
            {
                return $"'{tool}' is not installed (apt-get install btrfs-progs)";
            }
        }

        return null;
    }
}
