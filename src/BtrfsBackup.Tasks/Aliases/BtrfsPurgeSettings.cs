namespace BtrfsBackup.Aliases;

/// <summary>Settings for <c>BtrfsPurge</c>.</summary>
public sealed class BtrfsPurgeSettings : BtrfsSettings
{
    /// <summary>The time ages are measured against; default now.</summary>
    public DateTimeOffset? Now { get; set; }
}
