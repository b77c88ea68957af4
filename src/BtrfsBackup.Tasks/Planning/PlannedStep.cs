using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Planning;

/// <summary>A btrfs command a plan will run, and why. A dry run prints these; a real run executes them.</summary>
public sealed record PlannedStep(BtrfsCommand Command, string Reason)
{
    public override string ToString() => $"{Command}  # {Reason}";
}
