namespace BtrfsBackup.Aliases;

/// <summary>Settings for <see cref="BtrfsSnapshotAliases.BtrfsSnapshot(Cake.Core.ICakeContext, Scanning.PairInventory, BtrfsSnapshotSettings?)"/>.</summary>
public sealed class BtrfsSnapshotSettings : BtrfsSettings
{
    /// <summary>Comment appended to the name, e.g. <c>pre-upgrade</c>.</summary>
    public string? Suffix { get; set; }
}
