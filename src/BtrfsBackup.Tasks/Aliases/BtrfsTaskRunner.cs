using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Tasks;
using Cake.Core;

namespace BtrfsBackup.Aliases;

/// <summary>
/// Hosts a <see cref="BackupTask"/> inside Cake for an alias: Cake's log, the pair's locks for the
/// duration, <c>--dryrun</c> unless the settings say otherwise, and a failure as a <see cref="CakeException"/>
/// naming the pair.
/// </summary>
internal static class BtrfsTaskRunner
{
    public static TTask Run<TTask>(ICakeContext context, BackupPair pair, TTask task, bool? dryRun, RunEnvironment? environment)
        where TTask : BackupTask
    {
        ArgumentNullException.ThrowIfNull(context);
        task.Log = new CakeTaskLog(context.Log);
        task.DryRun = dryRun ?? CakeCommandLine.IsDryRun(context);
        task.Environment = environment ?? task.Environment;
        StepOutcome outcome;
        try
        {
            var locks = PairLocks.Acquire(task.Environment, pair);
            try
            {
                outcome = task.Run();
            }
            finally
            {
                foreach (var held in locks)
                {
                    held.Dispose();
                }
            }
        }
        catch (BackupException e)
        {
            outcome = StepOutcome.From(e);
        }
        finally
        {
            // The task's own environment lives for this alias alone: its ssh connections end with it.
            if (environment is null)
            {
                task.Environment.Remote?.Dispose();
            }
        }

        return outcome.Succeeded ? task : throw new CakeException($"{pair.Name}: {outcome.FailureCause}");
    }
}
