using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Tasks;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Runs a pair's steps in process through <see cref="BackupRun"/>, exactly as the recipe's tasks call
/// it (criteria, then body), in the environment of the test's choosing.
/// </summary>
internal static class NightlyDriver
{
    public static readonly BackupStep[] Nightly = [BackupStep.Scan, BackupStep.Snapshot, BackupStep.Send, BackupStep.Purge];

    public static BackupRun Run(RunEnvironment environment, RecordingLog log, params BackupPair[] pairs) =>
        Run(environment, log, Nightly, new BackupRunOptions(), pairs);

    public static BackupRun Run(RunEnvironment environment, RecordingLog log, IReadOnlyList<BackupStep> steps, BackupRunOptions options, params BackupPair[] pairs)
    {
        var run = new BackupRun(pairs, options, log, environment);
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
