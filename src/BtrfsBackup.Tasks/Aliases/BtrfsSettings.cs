using BtrfsBackup.Hosts;

namespace BtrfsBackup.Aliases;

/// <summary>What every alias that acts on a pair can be told.</summary>
public abstract class BtrfsSettings
{
    /// <summary>Print what would be done and change nothing. Left null, follows Cake's <c>--dryrun</c>.</summary>
    public bool? DryRun { get; set; }

    /// <summary>What to act through; this machine when left null (tests give a model).</summary>
    internal RunEnvironment? Environment { get; set; }
}

/// <summary>Settings for <c>BtrfsScan</c> and <c>BtrfsList</c>.</summary>
public sealed class BtrfsScanSettings : BtrfsSettings
{
}
