using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>
/// One end of a <see cref="KernelRelay"/>: a FIFO it opens by path (blocking until a btrfs process
/// opens the other side), or a pipe already open to a child process (ssh, zstd).
/// </summary>
internal abstract class RelayEnd
{
    /// <summary>The open descriptor; may block (a FIFO) until the other side opens.</summary>
    public abstract int Open();

    public abstract void Close(int descriptor);

    /// <summary>Wakes a relay blocked in <see cref="Open"/> because the process on the other side is gone.</summary>
    public abstract void Release();

    public static RelayEnd Fifo(string path, int flags) => new FifoEnd(path, flags);

    public static RelayEnd Pipe(SafeHandle pipe) => new PipeEnd(pipe);

    private sealed class FifoEnd(string path, int flags) : RelayEnd
    {
        private volatile bool opened;

        public override int Open()
        {
            var descriptor = NativeMethods.Open(path, flags | NativeMethods.CloseOnExec);
            opened = descriptor >= 0;
            return opened ? descriptor : throw new BackupException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        public override void Close(int descriptor) => NativeMethods.Close(descriptor);

        // Opening the other end without blocking wakes a relay waiting in open(); closing it again
        // then reads as end-of-stream (input) or a broken pipe (output).
        public override void Release()
        {
            if (opened)
            {
                return;
            }

            var other = flags == NativeMethods.ReadOnly ? NativeMethods.WriteOnly : NativeMethods.ReadOnly;
            var descriptor = NativeMethods.Open(path, other | NativeMethods.NonBlocking | NativeMethods.CloseOnExec);
            if (descriptor >= 0)
            {
                NativeMethods.Close(descriptor);
            }
        }
    }

    // The pipe is the relay's to close: closing it is how the process on the other side sees end-of-stream.
    private sealed class PipeEnd(SafeHandle pipe) : RelayEnd
    {
        public override int Open() => (int)pipe.DangerousGetHandle();

        public override void Close(int descriptor) => pipe.Dispose();

        public override void Release()
        {
        }
    }
}
