using System.Diagnostics;
using System.Text;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Remote;

/// <summary>
/// One ssh connection to a remote machine, shared by every command of a run (OpenSSH's
/// ControlMaster, its socket in the run's root-only folder). The master's own session is a remote
/// <c>cat</c> reading this process's pipe: when the run ends, however it ends, the pipe closes, the
/// session ends and the connection with it; nothing is left running on either machine.
/// </summary>
internal sealed class SshConnection(SshAccess access, RuntimeDirectory runtime) : IAsyncDisposable
{
    private const string Ready = "btrfsbackup-connected";
    private readonly SemaphoreSlim opening = new(1, 1);
    private readonly StringBuilder masterErrors = new();
    private Process? master;
    private readonly List<string> lockedDirectories = [];
    private Task? openedAhead;
    private int mastersStarted;

    public SshAccess Access { get; } = access;

    /// <summary>The command lines for this machine (available before the connection is opened, for a dry run's text).</summary>
    public SshCommand Command { get; } = new(access, Path.Combine(runtime.SshFolder(), SocketName(access)));

    /// <summary>Runs a command there; its exit code, output and errors. Only a failure of ssh itself throws.</summary>
    /// <exception cref="BackupException">ssh could not connect or log in; the message names the machine and what to do.</exception>
    public async Task<BufferedCommandResult> RunAsync(IReadOnlyList<string> words, CancellationToken cancellation, string? input = null, bool privileged = true)
    {
        await EnsureOpenAsync(cancellation);
        var command = Cli.Wrap(SshCommand.Program)
            .WithArguments(Command.Arguments(words, privileged))
            .WithEnvironmentVariables(Hosts.ProcessRunner.StableLocale)
            .WithValidation(CommandResultValidation.None);
        if (input is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(input));
        }

        var result = await command.ExecuteBufferedAsync(cancellation);
        if (result.ExitCode == SshFailure.SshItself)
        {
            throw Problem(result.ExitCode, result.StandardError);
        }

        return result;
    }

    /// <summary>Runs a command there and returns its output.</summary>
    /// <exception cref="BackupException">It failed; the message names the machine, the command and why.</exception>
    public async Task<string> RunCheckedAsync(IReadOnlyList<string> words, CancellationToken cancellation, string? input = null)
    {
        var result = await RunAsync(words, cancellation, input);
        return result.ExitCode == 0 ? result.StandardOutput : throw Failure(words, result.ExitCode, result.StandardError);
    }

    /// <summary>The error for a remote command that failed: what to do when that is known, else the command and its message.</summary>
    public BackupException Failure(IReadOnlyList<string> words, int exitCode, string standardError)
    {
        var line = $"{ShellQuoting.Render(words[0], words.Skip(1))} on {Access.Endpoint}";
        return SshFailure.Explain(Access, exitCode, standardError) is { } explained
            ? new BackupException($"{explained} (`{line}`)")
            : new ExternalCommandException(line, exitCode, standardError.Trim());
    }

    private BackupException Problem(int exitCode, string errors)
    {
        var message = SshFailure.Explain(Access, exitCode, errors) ?? $"ssh to {Access.Endpoint} failed: {errors.Trim()}";
        return SshFailure.IsUnreachable(exitCode, errors) ? new SshUnreachableException(message) : new BackupException(message);
    }

    /// <summary>
    /// Starts opening the connection without waiting for it, so that the handshake overlaps the run's
    /// work before its first command here; that command gets the outcome, a failure included.
    /// </summary>
    public void OpenAhead()
    {
        var ahead = OpenAsync(CancellationToken.None);
        // Observed here too: a run that ends before asking (all its pairs failed first) leaves no unobserved failure.
        _ = ahead.ContinueWith(task => task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        Interlocked.Exchange(ref openedAhead, ahead);
    }

    /// <summary>Opens the shared connection if it is not open yet: the first command pays for the handshake, the others do not.</summary>
    /// <exception cref="BackupException">ssh could not connect or log in.</exception>
    public async Task EnsureOpenAsync(CancellationToken cancellation)
    {
        if (Interlocked.Exchange(ref openedAhead, null) is { } ahead)
        {
            await ahead.WaitAsync(cancellation);
        }

        await OpenAsync(cancellation);
    }

    private async Task OpenAsync(CancellationToken cancellation)
    {
        await opening.WaitAsync(cancellation);
        try
        {
            if (master is { HasExited: false })
            {
                return;
            }

            // The remote locks were sessions of the lost connection: they are gone, and a new connection would not bring them back.
            lock (lockedDirectories)
            {
                if (master is not null && lockedDirectories.Count > 0)
                {
                    throw new BackupException(
                        $"the connection to {Access.Endpoint} dropped while this run held the lock on {string.Join(", ", lockedDirectories)} there; " +
                        "another run could now take it, so nothing more is done there in this run");
                }
            }

            master?.Dispose();
            lock (masterErrors)
            {
                masterErrors.Clear();
            }

            master = Start(Command.MasterArguments());
            Interlocked.Increment(ref mastersStarted);
            master.ErrorDataReceived += (_, line) =>
            {
                lock (masterErrors)
                {
                    masterErrors.AppendLine(line.Data);
                }
            };
            master.BeginErrorReadLine();
            string? echoed = null;
            try
            {
                await master.StandardInput.WriteLineAsync(Ready.AsMemory(), cancellation);
                await master.StandardInput.FlushAsync(cancellation);
                echoed = await master.StandardOutput.ReadLineAsync(cancellation);
            }
            catch (IOException)
            {
                // ssh gave up before reading a line: its exit code and stderr say why.
            }

            if (echoed is not null && echoed != Ready)
            {
                // Something on the far side prints before our command runs (a login script): the stream would be corrupted.
                master.Kill();
                throw new BackupException($"{Access.Endpoint} printed '{echoed}' before the tool's command ran (a login script that writes to stdout?); the tool needs a clean channel: make the remote shell's startup files silent for non-interactive logins");
            }

            if (echoed is null)
            {
                await master.WaitForExitAsync(cancellation);
                string errors;
                lock (masterErrors)
                {
                    errors = masterErrors.ToString();
                }

                throw Problem(master.ExitCode == 0 ? SshFailure.SshItself : master.ExitCode, errors);
            }
        }
        finally
        {
            opening.Release();
        }
    }

    /// <summary>How many times a master connection was started (for tests: one per run when nothing drops).</summary>
    internal int MastersStarted => mastersStarted;

    /// <summary>The master's process id while it runs (for tests that cut the connection).</summary>
    internal int? MasterProcessId => master is { HasExited: false } running ? running.Id : null;

    /// <summary>Notes a lock held through this connection: if the connection drops, it is not silently reopened while the lock is gone.</summary>
    internal void LockTaken(string directory)
    {
        lock (lockedDirectories)
        {
            lockedDirectories.Add(directory);
        }
    }

    internal void LockReleased(string directory)
    {
        lock (lockedDirectories)
        {
            lockedDirectories.Remove(directory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // An open ahead still under way uses the master and the semaphore: let it finish first (its failure was observed).
        if (Interlocked.Exchange(ref openedAhead, null) is { } ahead)
        {
            await ahead.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (master is null)
        {
            return;
        }

        // End of input ends the remote cat, the session, and the master with it.
        try
        {
            master.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await master.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // With its children (a ProxyCommand's), which hold its stderr open; and not waited for without end.
            master.Kill(entireProcessTree: true);
            using var killed = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await master.WaitForExitAsync(killed.Token);
            }
            catch (OperationCanceledException)
            {
                // Reported by the socket left below, if it is.
            }
        }

        var exited = master.HasExited;
        master.Dispose();
        opening.Dispose();
        // A master that exits removes its socket; one killed above leaves it. The socket is this run's
        // own (named after this process, in the run's root-only folder): nothing else may be there.
        if (exited && FileStatus.OfEntry(Command.ControlSocket)?.Kind == FileKind.Socket)
        {
            File.Delete(Command.ControlSocket);
        }
    }

    internal static Process Start(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(SshCommand.Program)
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
            return Process.Start(start) ?? throw new BackupException("ssh did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BackupException($"Could not start 'ssh': {e.Message}. Is openssh-client installed?", e);
        }
    }

    // Short (a socket path has at most 107 bytes), this run's own, and the same for one machine and key.
    private static string SocketName(SshAccess access)
    {
        // The managed SHA-256 of the lock names: .NET's would load OpenSSL into the run for this alone.
        var hash = Locking.Sha256.HashData(Encoding.UTF8.GetBytes($"{access.Endpoint}\n{access.Identity}\n{string.Join('\n', access.Options)}"));
        return $"{Environment.ProcessId}-{Convert.ToHexStringLower(hash)[..16]}";
    }
}
