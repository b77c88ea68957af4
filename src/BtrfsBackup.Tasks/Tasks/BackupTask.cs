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

    /// <summary>Runs the task; false (with <see cref="FailureMessage"/> set) if it failed. Hosts report the failure.</summary>
    public bool Execute()
    {
        try
        {
            ExecuteAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e)
        {
            // Any failure, not only ours: an unexpected I/O error must fail the pair, never pass as success.
            FailureMessage = e switch
            {
                BackupException => e.Message,
                OperationCanceledException => $"Pair '{PairName}': interrupted before the step finished.",
                _ => $"Pair '{PairName}': {e.GetType().Name}: {e.Message}",
            };
            return false;
        }
    }

    /// <summary>The pair the task works on, for messages.</summary>
    protected abstract string PairName { get; }

    protected abstract Task ExecuteAsync();

    protected void LogStep(Planning.PlannedStep step) => LogCommand(step.Command.ToString(), step.Reason);

    /// <summary>"run: COMMAND  # REASON", or in a dry run "[dry run] would run: ...": the one format of every plan line.</summary>
    protected void LogCommand(string commandLine, string reason) =>
        Log.Information(DryRun ? $"[dry run] would run: {commandLine}  # {reason}" : $"run: {commandLine}  # {reason}");
}
