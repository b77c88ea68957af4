using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>
/// Moves a stream from one FIFO to another with splice(2): the data stays in the kernel (no copy
/// through this process, so no CPU taken from btrfs), yet every byte is counted here exactly.
/// </summary>
/// <remarks>
/// Opening a FIFO blocks until its other end is opened. If a btrfs process dies before opening
/// its end, <see cref="ReleaseInput"/> or <see cref="ReleaseOutput"/> opens that end briefly so the
/// relay wakes up, sees end-of-stream or a broken pipe, and finishes instead of hanging. The caller
/// repeats them until the relay has finished: a wake-up that comes too early does nothing.
/// </remarks>
internal sealed class KernelRelay(RelayEnd input, RelayEnd output, Action? firstChunkMoved = null, long? bytesPerSecond = null)
{
    private const int ChunkBytes = 1 << 20;
    private long bytes;

    public KernelRelay(string inputFifo, string outputFifo, Action? firstChunkMoved = null)
        : this(RelayEnd.Fifo(inputFifo, NativeMethods.ReadOnly), RelayEnd.Fifo(outputFifo, NativeMethods.WriteOnly), firstChunkMoved)
    {
    }

    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Relays until the writer closes its end; throws if the reader went away first.</summary>
    public Task RunAsync() => Task.Factory.StartNew(Relay, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The sender is gone: make sure the relay is not left waiting to open its input.</summary>
    public void ReleaseInput() => input.Release();

    /// <summary>The receiver is gone: make sure the relay is not left waiting to open its output.</summary>
    public void ReleaseOutput() => output.Release();

    private void Relay()
    {
        var inputDescriptor = input.Open();
        int outputDescriptor;
        try
        {
            outputDescriptor = output.Open();
        }
        catch
        {
            input.Close(inputDescriptor);
            throw;
        }

        // Larger pipe buffers mean fewer wake-ups of btrfs send and receive; best effort (capped by fs.pipe-max-size).
        NativeMethods.Control(inputDescriptor, NativeMethods.SetPipeSize, ChunkBytes);
        NativeMethods.Control(outputDescriptor, NativeMethods.SetPipeSize, ChunkBytes);
        var pace = bytesPerSecond is { } limit ? new Pace(limit) : null;
        try
        {
            while (true)
            {
                var chunk = pace?.NextChunk(ChunkBytes) ?? ChunkBytes;
                var moved = NativeMethods.Splice(inputDescriptor, IntPtr.Zero, outputDescriptor, IntPtr.Zero, (nuint)chunk, NativeMethods.SpliceMove | NativeMethods.SpliceMore);
                if (moved > 0)
                {
                    if (Interlocked.Add(ref bytes, moved) == moved)
                    {
                        firstChunkMoved?.Invoke();
                    }

                    pace?.WaitAfter(Bytes);
                    continue;
                }

                if (moved == 0)
                {
                    return;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error == NativeMethods.Interrupted)
                {
                    continue;
                }

                throw new BackupException(error == NativeMethods.BrokenPipe
                    ? "the receiving side stopped reading the stream"
                    : $"moving the stream failed: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
        finally
        {
            output.Close(outputDescriptor);
            input.Close(inputDescriptor);
        }
    }

    // At most the limit per second on average, measured on a monotonic clock from the first byte.
    private sealed class Pace(long bytesPerSecond)
    {
        private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();

        // Small steps (a tenth of a second's worth), so a slow limit is not met in bursts of a megabyte.
        public int NextChunk(int largest) => (int)Math.Clamp(bytesPerSecond / 10, 4096, largest);

        public void WaitAfter(long moved)
        {
            var due = TimeSpan.FromSeconds((double)moved / bytesPerSecond);
            if (due > clock.Elapsed)
            {
                Thread.Sleep(due - clock.Elapsed);
            }
        }
    }
}
