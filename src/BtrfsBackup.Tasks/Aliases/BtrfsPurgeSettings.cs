namespace BtrfsBackup.Aliases;

/// <summary>Settings for <c>BtrfsPurge</c>.</summary>
public sealed class BtrfsPurgeSettings
{
    /// <summary>Print each deletion with its reason and delete nothing. Left null, follows Cake's <c>--dryrun</c>.</summary>
    public bool? DryRun { get; set; }

    /// <summary>The local time ages are measured against; default now.</summary>
    public DateTime? Now { get; set; }
}
