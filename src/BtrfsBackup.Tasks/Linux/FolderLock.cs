using System.Runtime.InteropServices;

namespace BtrfsBackup.Linux;

/// <summary>An exclusive flock(2) on a folder of the tool's own, held while a few quick changes in it are made together; waits for another holder.</summary>
internal sealed class FolderLock : IDisposable
{
    private readonly int descriptor;

    private FolderLock(int descriptor) => this.descriptor = descriptor;

    public static FolderLock Take(string folder)
    {
        var descriptor = NativeMethods.Open(folder, NativeMethods.ReadOnly | NativeMethods.DirectoryOnly | NativeMethods.NoFollow | NativeMethods.CloseOnExec);
        if (descriptor < 0)
        {
            throw new BackupException($"cannot open {folder}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        while (NativeMethods.Flock(descriptor, NativeMethods.LockExclusive) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != NativeMethods.Interrupted)
            {
                NativeMethods.Close(descriptor);
                throw new BackupException($"cannot lock {folder}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }

        return new FolderLock(descriptor);
    }

    // Closing the descriptor releases the lock.
    public void Dispose() => NativeMethods.Close(descriptor);
}
