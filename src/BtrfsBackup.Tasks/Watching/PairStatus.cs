using BtrfsBackup.Scanning;

namespace BtrfsBackup.Watching;

/// <summary>
/// What <c>status</c> knows of one pair: its freshness (null when its scan failed), the target's
/// state, the failure if any, and its last recorded run.
/// </summary>
internal sealed record PairStatus(string Pair, PairFreshness? Freshness, TargetStatus? TargetStatus, string? TargetStatusReason, string? Failure, LastRun? LastRun)
{
    /// <summary>The status of a scanned pair.</summary>
    public static PairStatus Of(PairInventory inventory, DateTimeOffset now, LastRun? lastRun)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return new PairStatus(inventory.Pair.Name, PairFreshness.Of(inventory, now), inventory.TargetStatus, inventory.TargetStatusReason, null, lastRun);
    }

    /// <summary>The status of a pair whose scan failed.</summary>
    public static PairStatus Failed(string pair, string failure, LastRun? lastRun) => new(pair, null, null, null, failure, lastRun);
}
