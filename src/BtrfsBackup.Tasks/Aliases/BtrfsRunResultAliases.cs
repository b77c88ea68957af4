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
    /// skips, outcome), then fails the build (non-zero exit) when any pair failed or the run was
    /// interrupted, naming each failed pair, its step and its error; else with exit code 4
    /// (<see cref="ExitCodes.VerifyFoundDifferences"/>) when verify found a backup that differs.
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

        var differing = run.Pairs.Where(pair => pair.Verification?.Differs == true).ToList();
        if (differing.Count > 0)
        {
            throw new CakeException(
                ExitCodes.VerifyFoundDifferences,
                $"verify found differences in {differing.Count} of {run.Pairs.Count} pair(s): {string.Join(", ", differing.Select(pair => pair.Pair.Name))} (see above).");
        }
    }
}
