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
internal sealed class KernelRelay(string inputFifo, string outputFifo, Action? firstChunkMoved = null)
{
    private const int ChunkBytes = 1 << 20;
    private long bytes;
    private volatile bool inputOpened;
    private volatile bool outputOpened;

    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>Relays until the writer closes its end; throws if the reader went away first.</summary>
    public Task RunAsync() => Task.Factory.StartNew(Relay, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The sender is gone: make sure the relay is not left waiting to open its input.</summary>
    public void ReleaseInput()
    {
        if (!inputOpened)
        {
            Poke(inputFifo, NativeMethods.WriteOnly);
        }
    }

    /// <summary>The receiver is gone: make sure the relay is not left waiting to open its output.</summary>
    public void ReleaseOutput()
    {
        if (!outputOpened)
        {
            Poke(outputFifo, NativeMethods.ReadOnly);
        }
    }

    private void Relay()
    {
        var input = OpenOrThrow(inputFifo, NativeMethods.ReadOnly);
        inputOpened = true;
        int output;
        try
        {
            output = OpenOrThrow(outputFifo, NativeMethods.WriteOnly);
        }
        catch
        {
            NativeMethods.Close(input);
            throw;
        }

        outputOpened = true;

        // Larger pipe buffers mean fewer wake-ups of btrfs send and receive; best effort (capped by fs.pipe-max-size).
        NativeMethods.Control(input, NativeMethods.SetPipeSize, ChunkBytes);
        NativeMethods.Control(output, NativeMethods.SetPipeSize, ChunkBytes);
        try
        {
            while (true)
            {
                var moved = NativeMethods.Splice(input, IntPtr.Zero, output, IntPtr.Zero, ChunkBytes, NativeMethods.SpliceMove | NativeMethods.SpliceMore);
                if (moved > 0)
                {
                    if (Interlocked.Add(ref bytes, moved) == moved)
                    {
                        firstChunkMoved?.Invoke();
                    }

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
                    ? "btrfs receive stopped reading the stream"
                    : $"moving the stream failed: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
        finally
        {
            NativeMethods.Close(output);
            NativeMethods.Close(input);
        }
    }

    private static int OpenOrThrow(string path, int flags)
    {
        var descriptor = NativeMethods.Open(path, flags | NativeMethods.CloseOnExec);
        return descriptor >= 0
            ? descriptor
            : throw new BackupException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    // Opening the other end without blocking wakes a relay waiting in open(); closing it again
    // then reads as end-of-stream (input) or a broken pipe (output).
    private static void Poke(string fifo, int flags)
    {
        var descriptor = NativeMethods.Open(fifo, flags | NativeMethods.NonBlocking | NativeMethods.CloseOnExec);
        if (descriptor >= 0)
        {
            NativeMethods.Close(descriptor);
        }
    }
}
