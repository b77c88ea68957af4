using BtrfsBackup.Configuration;
using BtrfsBackup.Locking;
using BtrfsBackup.Tasks;
using Cake.Core;

namespace BtrfsBackup.Aliases;

/// <summary>
/// Hosts a <see cref="BackupTask"/> inside Cake for an alias: Cake's log, the pair's lock for the
/// duration, <c>--dryrun</c> unless the settings say otherwise, and a failure as a <see cref="CakeException"/>.
/// </summary>
internal static class BtrfsTaskRunner
{
    public static TTask Run<TTask>(ICakeContext context, BackupPair pair, TTask task, bool? dryRun)
        where TTask : BackupTask
    {
        ArgumentNullException.ThrowIfNull(context);
        task.Log = new CakeTaskLog(context.Log);
        task.DryRun = dryRun ?? CakeCommandLine.IsDryRun(context);
        try
        {
            using var pairLock = PairLock.Acquire(pair);
            if (!task.Execute())
            {
                throw new CakeException(task.FailureMessage ?? $"{typeof(TTask).Name} failed.");
            }
        }
        catch (Exception e) when (e is not CakeException)
        {
            throw new CakeException(e is BackupException ? e.Message : $"Pair '{pair.Name}': {e.GetType().Name}: {e.Message}", e);
        }

        return task;
    }
}
