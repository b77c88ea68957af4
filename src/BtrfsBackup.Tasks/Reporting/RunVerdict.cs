using BtrfsBackup.Tasks;

namespace BtrfsBackup.Reporting;

/// <summary>
/// Whether a finished run needs a person's attention, decided in this one place for the exit code's
/// hooks and their environment: a pair failed, or the run was interrupted. A new state that needs
/// attention (such as a stale pair) is added here, and the hooks follow.
/// </summary>
internal static class RunVerdict
{
    public static bool NeedsAttention(BackupRun run) => AttentionPairs(run).Count > 0 || run.InterruptedBy is not null;

    /// <summary>The pairs that need attention, in the configuration's order.</summary>
    public static IReadOnlyList<string> AttentionPairs(BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.FailedPairs.Select(pair => pair.Pair.Name).ToList();
    }
}
