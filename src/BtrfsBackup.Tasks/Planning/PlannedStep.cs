using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Planning;

/// <summary>A btrfs command a plan will run, and why. A dry run prints these; a real run executes them.</summary>
public sealed record PlannedStep(BtrfsCommand Command, string Reason)
{
    /// <summary>The path the command acts on (its last argument).</summary>
    public string Path => Command.Arguments[^1];

    /// <summary>For a deletion: the subvolume as planned, so that it can be confirmed by UUID before it goes.</summary>
    public SubvolumeInfo? Subject { get; init; }

    /// <summary>The command and its reason, as a dry run prints them: <c>btrfs subvolume delete PATH  # REASON</c>.</summary>
    public override string ToString() => $"{Command}  # {Reason}";
}
