using BtrfsBackup.Btrfs;

namespace BtrfsBackup.Planning;

/// <summary>Retention at one location (a pair's snapshot_dir or its target): a decision per snapshot, oldest first.</summary>
internal sealed record LocationPurgePlan(string Side, string Path, IReadOnlyList<RetentionDecision> Decisions, string? SkipReason)
{
    public IEnumerable<RetentionDecision> Deletions => Decisions.Where(decision => decision.Delete);

    /// <summary>The deletions as btrfs commands, oldest first.</summary>
    public IEnumerable<PlannedStep> Steps =>
        Deletions.Select(decision => new PlannedStep(BtrfsCommand.DeleteSubvolume(decision.Snapshot.Path), $"{Side}: {decision.Reason}")
        {
            Subject = decision.Snapshot.Subvolume,
        });

    public static LocationPurgePlan Skipped(string side, string path, string reason) => new(side, path, [], reason);
}
