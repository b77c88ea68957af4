using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.BadInputs;

/// <summary>
/// What is on a sandbox's disks: every subvolume of each mounted filesystem (UUIDs, parents,
/// received UUIDs, read-only flags) and every file, directory and link under the sandbox folder.
/// Two equal captures mean no snapshot was made, nothing was received, deleted or created.
/// </summary>
internal static partial class DiskState
{
    public static string Capture(BtrfsSandbox sandbox)
    {
        var text = new StringBuilder();
        foreach (var filesystem in sandbox.Filesystems.Where(filesystem => filesystem.IsMounted))
        {
            text.AppendLine($"subvolumes of {filesystem.MountPoint}:");
            var readOnly = Shell.Run("btrfs", "subvolume", "list", "-r", filesystem.MountPoint)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ')[1])
                .ToHashSet(StringComparer.Ordinal);
            foreach (var line in Shell.Run("btrfs", "subvolume", "list", "-u", "-q", "-R", filesystem.MountPoint).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // The generation moves with any write (even an atime update); the rest is identity.
                var id = line.Split(' ')[1];
                text.AppendLine($"  {Generation().Replace(line, string.Empty)}{(readOnly.Contains(id) ? " (read-only)" : string.Empty)}");
            }
        }

        // The runtime directory (locks, transfer folders) and the state folder (the run history) are the tool's own working state, not what is on the disks.
        text.AppendLine("entries:");
        Walk(sandbox.Root, sandbox.Root, [sandbox.Runtime.Root, sandbox.StateFolder], text);
        return text.ToString();
    }

    private static void Walk(string root, string directory, string[] skipped, StringBuilder text)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal).Where(entry => !skipped.Contains(entry)))
        {
            var info = new FileInfo(entry);
            var relative = Path.GetRelativePath(root, entry);
            if (info.LinkTarget is { } target)
            {
                text.AppendLine($"  {relative} -> {target}");
            }
            else if (Directory.Exists(entry))
            {
                text.AppendLine($"  {relative}/");
                Walk(root, entry, skipped, text);
            }
            else
            {
                text.AppendLine($"  {relative}");
            }
        }
    }

    [GeneratedRegex(@"gen \d+ ")]
    private static partial Regex Generation();
}

/// <summary>Received subvolumes, as a restored backup would be, for sources that must be refused.</summary>
internal static partial class ReceivedSubvolume
{
    // BTRFS_IOC_SUBVOL_SETFLAGS = _IOW(0x94, 26, __u64)
    private const nuint SetSubvolumeFlags = 0x4008941a;

    /// <summary>Sends <paramref name="snapshot"/> and receives it into <paramref name="directory"/>; returns the received subvolume.</summary>
    public static string Receive(string snapshot, string directory)
    {
        Shell.Run("sh", "-c", "btrfs send \"$1\" 2>/dev/null | btrfs receive \"$2\" 2>/dev/null", "sh", snapshot, directory);
        return Path.Combine(directory, Path.GetFileName(snapshot));
    }

    /// <summary>
    /// Makes a received subvolume writable straight through the kernel, which keeps its Received
    /// UUID (as older btrfs-progs did; 6.2's <c>property set -f ro false</c> clears it).
    /// </summary>
    public static void MakeWritableKeepingReceivedUuid(string path)
    {
        var descriptor = Open(Encoding.UTF8.GetBytes(path + "\0"), 0);
        if (descriptor < 0)
        {
            throw new InvalidOperationException($"open {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            ulong flags = 0;
            if (Control(descriptor, SetSubvolumeFlags, ref flags) != 0)
            {
                throw new InvalidOperationException($"BTRFS_IOC_SUBVOL_SETFLAGS on {path} failed: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] nulTerminatedPath, int flags);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Control(int descriptor, nuint request, ref ulong argument);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
