using BtrfsBackup.Hosting;
using BtrfsBackup.Reporting;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;

namespace BtrfsBackup.Aliases;

/// <summary>Ends a run: the run summary and the verdict, after Cake's own task summary.</summary>
[CakeAliasCategory("Btrfs")]
public static class BtrfsRunResultAliases
{
    /// <summary>
    /// Call after <c>RunTarget</c>: prints the run summary (per pair: snapshot, sends, deletions,
    /// skips, outcome, STALE lines), then fails the build when any pair failed or the run was
    /// interrupted, naming each failed pair, its step and its error (exit code 1); else, when a pair
    /// is stale, with exit code 3 (<see cref="ExitCodes.Stale"/>), naming each stale pair.
    /// </summary>
    /// <example><code>var report = RunTarget(target); if (report != null) BtrfsCompleteRun(run);</code></example>
    [CakeMethodAlias]
    public static void BtrfsCompleteRun(this ICakeContext context, BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        if (RunSummary.HasAnythingToReport(run))
        {
            context.Log.Information("{0}", RunSummary.Format(run));
        }

        var failed = run.FailedPairs.ToList();
        if (failed.Count > 0)
        {
            throw new CakeException(
                $"{failed.Count} of {run.Pairs.Count} pair(s) failed:" +
                string.Concat(failed.Select(pair => $"{Environment.NewLine}  {pair.FailureSummary}")));
        }

        if (run.InterruptedBy is not null)
        {
            throw new CakeException($"The run was interrupted by {run.InterruptedBy}; the steps after it were skipped.");
        }

        var stale = run.StalePairs();
        if (stale.Count > 0)
        {
            throw new CakeException(
                ExitCodes.Stale,
                $"{stale.Count} of {run.Pairs.Count} pair(s) stale:" +
                string.Concat(stale.Select(pair => $"{Environment.NewLine}  {pair.Pair}: {pair.StaleLine}")));
        }
    }
}
