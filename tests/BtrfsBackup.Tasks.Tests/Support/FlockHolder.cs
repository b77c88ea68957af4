using System.Globalization;
using CliWrap;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Another process holding a lock file, as another run would: <c>flock</c>, started by the test,
/// which writes its own pid into the file once it has the lock (as the tool does) and then waits
/// until the test lets it go. <see cref="StartAsync"/> returns only once the lock is held.
/// </summary>
internal sealed class FlockHolder : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly CommandTask<CommandResult> running;

    private FlockHolder(CancellationTokenSource stop, CommandTask<CommandResult> running)
    {
        this.stop = stop;
        this.running = running;
    }

    /// <summary>The holder's pid, as it wrote it into the lock file.</summary>
    public int ProcessId { get; private set; }

    public static async Task<FlockHolder> StartAsync(string path)
    {
        var stop = new CancellationTokenSource();
        var held = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Inside the lock: write the pid as the tool would, say so on stdout (the barrier), then wait for stdin to close.
        var running = Cli.Wrap("flock")
            .WithArguments(["-x", path, "sh", "-c", "echo $$ > \"$1\" && echo $$ && exec cat >/dev/null", "sh", path])
            .WithStandardInputPipe(PipeSource.FromStream(new BlockingStream(stop.Token)))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => held.TrySetResult(int.Parse(line, CultureInfo.InvariantCulture))))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None);
        var holder = new FlockHolder(stop, running);
        var finished = await Task.WhenAny(held.Task, running.Task);
        if (finished != held.Task)
        {
            throw new InvalidOperationException($"flock {path} ended before taking the lock");
        }

        holder.ProcessId = await held.Task;
        return holder;
    }

    /// <summary>Whether anyone holds the lock, asked without waiting.</summary>
    public static bool IsHeld(string path) => Shell.TryRun("flock", "-n", "-s", path, "true").ExitCode != 0;

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running.Task;
        stop.Dispose();
    }

    // A stdin that stays open until the test lets the holder go, then reads as end of file.
    private sealed class BlockingStream(CancellationToken until) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(until, cancellationToken).Token);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
