using System.Diagnostics;
using System.IO.Pipes;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Remote;

/// <summary>
/// One process of a transfer pipeline (ssh, zstd, btrfs) with its stdin and stdout as pipes the
/// relay splices to and from, and its stderr collected for the report. A process that has no use for
/// one of them gets it closed at once (end of input; output discarded).
/// </summary>
internal sealed class StreamProcess : IDisposable
{
    private readonly Process process;
    private readonly Task<string> errors;
    private readonly Task discardedOutput;

    private StreamProcess(string display, Process process, bool feedsInput, bool givesOutput)
    {
        Display = display;
        this.process = process;
        errors = process.StandardError.ReadToEndAsync();
        Input = feedsInput ? RelayEnd.Pipe(((PipeStream)process.StandardInput.BaseStream).SafePipeHandle) : null;
        if (!feedsInput)
        {
            process.StandardInput.Close();
        }

        Output = givesOutput ? RelayEnd.Pipe(((PipeStream)process.StandardOutput.BaseStream).SafePipeHandle) : null;
        discardedOutput = givesOutput ? Task.CompletedTask : process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        Completion = CompleteAsync();
    }

    /// <summary>The command line as a person would type it, for messages.</summary>
    public string Display { get; }

    /// <summary>Where the relay writes what this process reads; null when it reads nothing.</summary>
    public RelayEnd? Input { get; }

    /// <summary>Where the relay reads what this process writes; null when its output is not part of the stream.</summary>
    public RelayEnd? Output { get; }

    /// <summary>Its exit code and stderr, once it has ended.</summary>
    public Task<(int ExitCode, string Errors)> Completion { get; }

    public int Id => process.Id;

    public static StreamProcess Start(string program, IReadOnlyList<string> arguments, bool feedsInput, bool givesOutput)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        try
        {
            var process = Process.Start(start) ?? throw new BackupException($"{program} did not start");
            return new StreamProcess(ShellQuoting.Render(program, arguments), process, feedsInput, givesOutput);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BackupException($"Could not start '{program}': {e.Message}. Is it installed and on PATH?", e);
        }
    }

    /// <summary>Asks it to stop (SIGINT, as Ctrl-C would), so ssh closes its channel and the remote side ends too.</summary>
    public void Interrupt()
    {
        if (!Completion.IsCompleted)
        {
            _ = NativeMethods.Signal(process.Id, NativeMethods.InterruptSignal);
        }
    }

    public void ForceStop()
    {
        if (!Completion.IsCompleted)
        {
            process.Kill();
        }
    }

    public void Dispose() => process.Dispose();

    private async Task<(int, string)> CompleteAsync()
    {
        await process.WaitForExitAsync();
        await discardedOutput;
        var text = await errors;
        return (process.ExitCode, text);
    }
}
