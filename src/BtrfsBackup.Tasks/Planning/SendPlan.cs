namespace BtrfsBackup.Planning;

/// <summary>
/// What a pair's send does: first remove the tool's own unfinished receive, then transfer each new
/// snapshot oldest first. <see cref="SkipReason"/> says why there is nothing to do, if so.
/// </summary>
internal sealed record SendPlan(IReadOnlyList<PlannedStep> Cleanup, IReadOnlyList<PlannedSend> Sends, string? SkipReason)
{
    public bool HasWork => Cleanup.Count > 0 || Sends.Count > 0;
}
