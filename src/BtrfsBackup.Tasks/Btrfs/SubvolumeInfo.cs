namespace BtrfsBackup.Btrfs;

/// <summary>A subvolume as btrfs reports it; <see cref="Path"/> is the real path on this machine.</summary>
public sealed record SubvolumeInfo(
    string Path,
    Guid Uuid,
    Guid? ParentUuid,
    Guid? ReceivedUuid,
    bool IsReadOnly)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
