using BtrfsBackup.Logging;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Shape shared by the tasks, after MSBuild's: inputs are settable properties, <see cref="Execute"/>
/// runs once and reports success, results are read from output properties afterwards.
/// </summary>
public abstract class BackupTask
{
    public ITaskLog Log { get; set; } = new ConsoleTaskLog();

    /// <summary>Log the plan (every btrfs command and why) and change nothing.</summary>
    public bool DryRun { get; set; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Output: why the task failed, when <see cref="Execute"/> returned false.</summary>
    public string? FailureMessage { get; private set; }

    public bool Execute()
    {
        try
        {
            ExecuteAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (BackupException e)
        {
            FailureMessage = e.Message;
            Log.Error(e.Message);
            return false;
        }
    }

    protected abstract Task ExecuteAsync();

    protected void LogStep(Planning.PlannedStep step) =>
        Log.Information(DryRun ? $"[dry run] would run: {step.Command}  # {step.Reason}" : $"run: {step.Command}  # {step.Reason}");
}
