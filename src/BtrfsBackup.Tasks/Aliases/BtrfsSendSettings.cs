namespace BtrfsBackup.Aliases;

/// <summary>Settings for <c>BtrfsSend</c>.</summary>
public sealed class BtrfsSendSettings : BtrfsSettings
{
    /// <summary>How often a running transfer logs bytes so far and rate. Default 5 seconds.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
