using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Ends a run: the verdict after Cake's own summary.</summary>
[CakeAliasCategory("Btrfs")]
public static class BtrfsRunResultAliases
{
    /// <summary>
    /// Call after <c>RunTarget</c>: fails the build (non-zero exit) when any pair failed or the run
    /// was interrupted, naming each failed pair, its step and its error.
    /// </summary>
    /// <example><code>var report = RunTarget(target); if (report != null) BtrfsThrowIfFailed(run);</code></example>
    [CakeMethodAlias]
    public static void BtrfsThrowIfFailed(this ICakeContext context, BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var failed = run.FailedPairs.ToList();
        if (failed.Count > 0)
        {
            throw new CakeException(
                $"{failed.Count} of {run.Pairs.Count} pair(s) failed: " +
                string.Join("; ", failed.Select(pair => $"{pair.Pair.Name} at {pair.FailedStep}: {pair.FailureMessage}")));
        }

        if (run.InterruptedBy is not null)
        {
            throw new CakeException($"The run was interrupted by {run.InterruptedBy}; the steps after it were skipped.");
        }
    }
}
