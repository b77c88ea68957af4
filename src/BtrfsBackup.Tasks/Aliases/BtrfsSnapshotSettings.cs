namespace BtrfsBackup.Aliases;

/// <summary>Settings for <see cref="BtrfsSnapshotAliases.BtrfsSnapshot(Cake.Core.ICakeContext, Scanning.PairInventory, BtrfsSnapshotSettings?)"/>.</summary>
public sealed class BtrfsSnapshotSettings
{
    /// <summary>Comment appended to the name, e.g. <c>pre-upgrade</c>.</summary>
    public string? Suffix { get; set; }

    /// <summary>Print the command and change nothing. Left null, follows Cake's <c>--dryrun</c>.</summary>
    public bool? DryRun { get; set; }
}
