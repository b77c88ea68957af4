using System.Globalization;

namespace BtrfsBackup.Tests.Support;

/// <summary>Signals for processes this test started itself (by pid, never found by name), to interrupt them the way a fault would.</summary>
internal static class ChildProcess
{
    /// <summary>SIGSTOP: the process stays where it is until killed.</summary>
    public static int Stop(int pid)
    {
        Shell.Run("kill", "-STOP", pid.ToString(CultureInfo.InvariantCulture));
        return pid;
    }

    public static void Kill(int pid) => Shell.TryRun("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
}
