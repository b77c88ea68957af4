using BtrfsBackup.Tasks;
using Cake.Core;

namespace BtrfsBackup.Aliases;

/// <summary>Hosts a <see cref="BackupTask"/> inside Cake: Cake's log, and a failure becomes a <see cref="CakeException"/>.</summary>
internal static class BtrfsTaskRunner
{
    public static TTask Run<TTask>(ICakeContext context, TTask task, bool dryRun)
        where TTask : BackupTask
    {
        ArgumentNullException.ThrowIfNull(context);
        task.Log = new CakeTaskLog(context.Log);
        task.DryRun = dryRun;
        if (!task.Execute())
        {
            throw new CakeException(task.FailureMessage ?? $"{typeof(TTask).Name} failed.");
        }

        return task;
    }
}
