using System.Runtime.InteropServices;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// A command the test starts in a process group of its own (<c>setsid</c>), so that it can signal
/// exactly that command and everything it started, and know when all of it has ended: never a
/// process found by name.
/// </summary>
internal sealed class ProcessGroup
{
    private const int Kill = 9;
    private const int Term = 15;
    private const int NoSuchProcess = 3;

    private ProcessGroup(int id, Task<BufferedCommandResult> exited)
    {
        Id = id;
        Exited = exited;
    }

    /// <summary>The group's id, which is the pid of the command started.</summary>
    public int Id { get; }

    public Task<BufferedCommandResult> Exited { get; }

    public static ProcessGroup Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string program, params string[] arguments)
    {
        var running = Cli.Wrap("setsid")
            .WithArguments([program, .. arguments])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(new Dictionary<string, string?>(environment) { ["NO_COLOR"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return new ProcessGroup(running.ProcessId, running.Task);
    }

    /// <summary>SIGTERM to every process of the group at once, as systemd stops a service.</summary>
    public void Terminate() => Signal(Term);

    /// <summary>SIGKILL to every process of the group; returns once none of them is left.</summary>
    public async Task KillAsync()
    {
        Signal(Kill);
        await Exited;
        while (SendSignal(-Id, 0) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess)
        {
            await Task.Delay(20);
        }
    }

    private void Signal(int signal)
    {
        if (SendSignal(-Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill -{signal} -{Id} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
