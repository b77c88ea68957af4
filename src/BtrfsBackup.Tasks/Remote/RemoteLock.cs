using System.Diagnostics;

namespace BtrfsBackup.Remote;

/// <summary>
/// A lock held on a remote machine by <c>flock -n -E 75 DIR cat</c>: the remote <c>cat</c> echoes a
/// line once the lock is taken and then holds it for as long as this run's end of its pipe is open.
/// When the run ends, or the connection drops, the pipe closes and the lock goes with it.
/// </summary>
internal sealed class RemoteLock : IAsyncDisposable
{
    public const int HeldElsewhere = 75;
    private const string Probe = "btrfsbackup-locked";
    private readonly Process holder;
    private readonly SshConnection connection;
    private readonly string directory;

    private RemoteLock(Process holder, SshConnection connection, string directory)
    {
        this.holder = holder;
        this.connection = connection;
        this.directory = directory;
        connection.LockTaken(directory);
    }

    /// <exception cref="BackupException">Another run holds it, or it could not be taken.</exception>
    public static async Task<IAsyncDisposable> AcquireAsync(SshConnection connection, string directory, CancellationToken cancellation)
    {
        await connection.EnsureOpenAsync(cancellation);
        string[] words = ["flock", "-n", "-E", "75", directory, "cat"];
        var holder = SshConnection.Start(connection.Command.Arguments(words));
        var errors = holder.StandardError.ReadToEndAsync(cancellation);
        try
        {
            await holder.StandardInput.WriteLineAsync(Probe.AsMemory(), cancellation);
            await holder.StandardInput.FlushAsync(cancellation);
            var echoed = await holder.StandardOutput.ReadLineAsync(cancellation);
            if (echoed == Probe)
            {
                return new RemoteLock(holder, connection, directory);
            }

            if (echoed is not null)
            {
                holder.Kill();
                holder.Dispose();
                throw new BackupException($"{connection.Access.Endpoint} printed '{echoed}' instead of taking the lock on {directory}; the tool needs a clean channel there");
            }
        }
        catch (IOException)
        {
            // flock refused (or ssh failed) before reading: its exit code says which.
        }

        await holder.WaitForExitAsync(cancellation);
        var exitCode = holder.ExitCode;
        var message = await errors;
        holder.Dispose();
        throw exitCode == HeldElsewhere
            ? new BackupException($"another run holds the lock on {directory} on {connection.Access.Endpoint} (it may be another machine's run of this pair); nothing was touched")
            : connection.Failure(words, exitCode, message);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            holder.StandardInput.Close();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await holder.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            holder.Kill();
        }

        holder.Dispose();
        connection.LockReleased(directory);
    }
}
