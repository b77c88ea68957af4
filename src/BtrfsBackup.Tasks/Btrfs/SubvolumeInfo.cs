namespace BtrfsBackup.Btrfs;

/// <summary>
/// A subvolume as btrfs reports it; <see cref="Path"/> is where it is seen on its host.
/// <see cref="CreationGeneration"/> orders subvolumes of one filesystem by when they were made,
/// whatever the clock said; <see cref="Generation"/> moves whenever its content changes.
/// </summary>
public sealed record SubvolumeInfo(
    string Path,
    Guid Uuid,
    Guid? ParentUuid,
    Guid? ReceivedUuid,
    bool IsReadOnly,
    long Generation = 0,
    long CreationGeneration = 0)
{
    /// <summary>The last component of <see cref="Path"/>: for a snapshot or backup, its name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}
