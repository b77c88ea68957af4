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
    /// Call after <c>RunTarget</c>, last: prints the run summary (per pair: snapshot, sends, deletions,
    /// skips, outcome, STALE lines). A real run then appends its history lines, writes the metrics file
    /// and runs the <c>on_success</c> or <c>on_failure</c> hook (the configuration's <c>[run]</c>).
    /// Then it fails the build when any pair failed, the run was interrupted, or the history or metrics
    /// could not be written, naming each cause (exit code 1); else with exit code 4
    /// (<see cref="ExitCodes.VerifyFoundDifferences"/>) when verify found a backup that differs; else,
    /// when a pair is stale, with exit code 3 (<see cref="ExitCodes.Stale"/>), naming each stale pair.
    /// Last, failing or not, it ends the run: the pairs' locks are released and the ssh connections closed.
    /// </summary>
    /// <example><code>var report = RunTarget(target); if (report != null) BtrfsCompleteRun(run);</code></example>
    [CakeMethodAlias]
    public static void BtrfsCompleteRun(this ICakeContext context, BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            if (RunSummary.HasAnythingToReport(run))
            {
                context.Log.Information("{0}", RunSummary.Format(run));
            }

            // History, metrics and the hook come after the summary and before the verdict: a failed run is recorded too.
            var recordingProblems = RunEnd.Record(run);
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

            if (recordingProblems.Count > 0)
            {
                throw new CakeException(string.Join(Environment.NewLine, recordingProblems));
            }

            // A backup that differs from its snapshot is worse news than one that is old.
            var differing = run.Pairs.Where(pair => pair.Verification?.Differs == true).ToList();
            if (differing.Count > 0)
            {
                throw new CakeException(
                    ExitCodes.VerifyFoundDifferences,
                    $"verify found differences in {differing.Count} of {run.Pairs.Count} pair(s): {string.Join(", ", differing.Select(pair => pair.Pair.Name))} (see above).");
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
        finally
        {
            // The run is over: its locks go and its ssh connections close now, not whenever the process ends.
            run.Dispose();
        }
    }
}
