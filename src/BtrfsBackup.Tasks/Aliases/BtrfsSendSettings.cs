namespace BtrfsBackup.Aliases;

/// <summary>Settings for <c>BtrfsSend</c>.</summary>
public sealed class BtrfsSendSettings
{
    /// <summary>Print each send with its parent and change nothing. Left null, follows Cake's <c>--dryrun</c>.</summary>
    public bool? DryRun { get; set; }

    /// <summary>How often a running transfer logs bytes so far and rate. Default 5 seconds.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
