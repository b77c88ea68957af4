using System.Runtime.InteropServices;
using System.Text;
using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Linux;

/// <summary>
/// The mount a path lives on, from <c>/proc/self/mountinfo</c> and, for btrfs, the filesystem UUID
/// from <c>BTRFS_IOC_FS_INFO</c>: what <c>findmnt --target</c> answers, without a process. Null
/// whenever the answer is not plain (a path that does not resolve, a mount not btrfs, an ioctl that
/// fails): the caller then asks findmnt.
/// </summary>
internal static partial class MountTable
{
    // _IOR(0x94, 31, struct btrfs_ioctl_fs_info_args), 1024 bytes: max_id, num_devices, then fsid[16].
    private const uint FsInfo = 0x8400941F;

    public static MountedFilesystem? Find(string path)
    {
        if (RealPath.TryOf(path) is not { } real)
        {
            return null;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            return null;
        }

        // The longest mount point the path is at or below; of equal ones the last mounted, as findmnt --target.
        (string MountPoint, string Root, string Type)? best = null;
        foreach (var line in lines)
        {
            // ID PARENT MAJOR:MINOR ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 7 || separator < 0 || separator + 1 >= fields.Length)
            {
                return null;
            }

            var mountPoint = Unescape(fields[4]);
            if (IsAtOrBelow(real, mountPoint) && (best is null || mountPoint.Length >= best.Value.MountPoint.Length))
            {
                best = (mountPoint, Unescape(fields[3]), fields[separator + 1]);
            }
        }

        if (best is not { Type: "btrfs" } found || FilesystemUuid(real) is not { } uuid)
        {
            return null;
        }

        return new MountedFilesystem(found.MountPoint, found.Type, found.Root, uuid);
    }

    private static bool IsAtOrBelow(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);

    // mountinfo writes space, tab, newline and backslash in octal: \040, \011, \012, \134.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(string field, int start) =>
        start + 3 <= field.Length && field.Substring(start, 3).All(digit => digit is >= '0' and <= '7');

    private static Guid? FilesystemUuid(string path)
    {
        var descriptor = NativeMethods.Open(path, NativeMethods.ReadOnly | NativeMethods.CloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            var arguments = new byte[1024];
            if (FsInfoIoctl(descriptor, FsInfo, arguments) != 0)
            {
                return null;
            }

            // The fsid's 16 bytes in the order blkid prints them.
            return new Guid(arguments.AsSpan(16, 16), bigEndian: true);
        }
        finally
        {
            NativeMethods.Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int FsInfoIoctl(int descriptor, uint request, [In, Out] byte[] arguments);
}
