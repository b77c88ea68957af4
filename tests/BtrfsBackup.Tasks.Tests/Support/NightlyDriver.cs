using BtrfsBackup.Configuration;
using BtrfsBackup.Tasks;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Runs the nightly steps in-process through <see cref="BackupRun"/>, exactly as the recipe's tasks
/// call it (criteria, then body), with a clock of the test's choosing.
/// </summary>
internal static class NightlyDriver
{
    private static readonly BackupStep[] Steps = [BackupStep.Scan, BackupStep.Snapshot, BackupStep.Send, BackupStep.Purge];

    public static BackupRun Run(DateTime now, RecordingLog log, params BackupPair[] pairs) => Run(now, log, Steps, pairs);

    public static BackupRun Run(DateTime now, RecordingLog log, IReadOnlyList<BackupStep> steps, params BackupPair[] pairs)
    {
        var run = new BackupRun(pairs, new BackupRunOptions { Clock = () => now }, log);
        try
        {
            foreach (var pair in pairs)
            {
                foreach (var step in steps)
                {
                    if (run.ShouldRun(pair.Name, step))
                    {
                        try
                        {
                            run.Run(pair.Name, step);
                        }
                        catch (BackupException)
                        {
                            // Recorded in the run as the pair's failure, as Cake's ContinueOnError would.
                        }
                    }
                }
            }
        }
        finally
        {
            run.Dispose();
        }

        return run;
    }
}
