using BtrfsBackup.Tasks;
using Cake.Core;

namespace BtrfsBackup.Hosting;

/// <summary>
/// Turns a Cake task into a step of a pair: one criterion per skip reason (so Cake's summary shows
/// the reason), a last criterion that plans the step in a dry run, the body, and ContinueOnError so
/// one pair's failure does not cost the others their run.
/// </summary>
public static class BackupStepTaskBuilder
{
    /// <example><code>Task("Send:home").IsDependentOn("Scan:home").RunsBackupStep(run, "home", BackupStep.Send);</code></example>
    public static CakeTaskBuilder RunsBackupStep(this CakeTaskBuilder task, BackupRun run, string pair, BackupStep step)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var kind in SkipKinds.For(step))
        {
            task.WithCriteria(_ => run.Decide(pair, step).Skip != kind, kind.Describe());
        }

        return task
            .WithCriteria(_ => run.ShouldRun(pair, step), "dry run: see the plan or error above")
            .Does(() => run.Run(pair, step))
            .ContinueOnError();
    }
}
