namespace BtrfsBackup.Btrfs;

/// <summary>The mount a path lives on. <see cref="FsRoot"/> is the path inside the filesystem that is mounted there.</summary>
public sealed record MountedFilesystem(string MountPoint, string Type, string FsRoot, Guid? Uuid)
{
    /// <summary>Whether the filesystem is btrfs.</summary>
    public bool IsBtrfs => Type == "btrfs";

    /// <summary>Same btrfs filesystem, told apart by filesystem UUID as the contract says.</summary>
    public bool IsSameFilesystemAs(MountedFilesystem other) =>
        IsBtrfs && other.IsBtrfs && Uuid is not null && Uuid == other.Uuid;
}
