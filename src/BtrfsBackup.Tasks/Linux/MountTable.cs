using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Linux;

/// <summary>
/// The mount a path lives on, from <c>/proc/self/mountinfo</c> and, for btrfs, the filesystem UUID
/// from <c>BTRFS_IOC_FS_INFO</c>: what <c>findmnt --target</c> answers, without a process. The
/// mount is the one the kernel names for the open folder (statx's mount ID), so a mount stacked
/// over another, or over a folder above another, is never mistaken for the one under it. Null
/// whenever the answer is not plain (a path that does not resolve or is not a directory, a mount
/// not btrfs, an ioctl that fails): the caller then asks findmnt.
/// </summary>
internal static partial class MountTable
{
    // _IOR(0x94, 31, struct btrfs_ioctl_fs_info_args), 1024 bytes: max_id, num_devices, then fsid[16].
    private const uint FsInfo = 0x8400941F;

    // statx(2): STATX_MNT_ID (Linux 5.8) in stx_mask at offset 0 says stx_mnt_id, at 0x90, is filled in.
    private const uint StatxMountId = 0x1000;
    private const int StatxMountIdOffset = 0x90;

    public static MountedFilesystem? Find(string path)
    {
        if (RealPath.TryOf(path) is not { } real)
        {
            return null;
        }

        // A mount point is a folder, and the ioctl needs a descriptor opened for reading (not O_PATH):
        // O_DIRECTORY refuses a FIFO or a device before it is opened (a FIFO would block until a writer
        // came), O_NOFOLLOW a symlink planted since realpath. The mount ID and the UUID both come from
        // this one open folder, which also keeps its mount from being unmounted meanwhile.
        var descriptor = NativeMethods.Open(
            real,
            NativeMethods.ReadOnly | NativeMethods.DirectoryOnly | NativeMethods.NoFollow | NativeMethods.NonBlocking | NativeMethods.CloseOnExec);
        if (descriptor < 0)
        {
            return null;
        }

        try
        {
            var mountId = MountIdOf(descriptor);
            IReadOnlyList<MountInfo>? mounts;
            try
            {
                mounts = MountInfo.Parse(File.ReadLines("/proc/self/mountinfo"));
            }
            catch (IOException)
            {
                return null;
            }

            if (mounts is null
                || MountInfo.Pick(mounts, real, mountId) is not { Type: "btrfs" } found
                || FilesystemUuid(descriptor) is not { } uuid)
            {
                return null;
            }

            return new MountedFilesystem(found.MountPoint, found.Type, found.Root, uuid);
        }
        finally
        {
            NativeMethods.Close(descriptor);
        }
    }

    // Null when the kernel does not say (before Linux 5.8): the caller falls back to the mount points' paths.
    private static ulong? MountIdOf(int descriptor)
    {
        var buffer = new byte[256];
        if (NativeMethods.Statx(descriptor, string.Empty, NativeMethods.EmptyPath, StatxMountId, buffer) != 0
            || (BinaryPrimitives.ReadUInt32LittleEndian(buffer) & StatxMountId) == 0)
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(StatxMountIdOffset));
    }

    private static Guid? FilesystemUuid(int descriptor)
    {
        var arguments = new byte[1024];
        if (FsInfoIoctl(descriptor, FsInfo, arguments) != 0)
        {
            return null;
        }

        // The fsid's 16 bytes in the order blkid prints them.
        return new Guid(arguments.AsSpan(16, 16), bigEndian: true);
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int FsInfoIoctl(int descriptor, uint request, [In, Out] byte[] arguments);
}
