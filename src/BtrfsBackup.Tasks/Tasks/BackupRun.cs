using BtrfsBackup.Configuration;
using BtrfsBackup.Logging;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Drives the tasks for the selected pairs of one run and keeps each pair's state between them.
/// A host (a Cake recipe) asks <see cref="ShouldRun"/> before each step and calls <see cref="Run"/>
/// for its body. A dry run does its planning inside <see cref="ShouldRun"/>, because Cake's dry run
/// evaluates criteria but skips bodies; so the plan printed is the one a real run would execute.
/// </summary>
public sealed class BackupRun
{
    private readonly Dictionary<string, PairRun> pairs;

    public BackupRun(IReadOnlyList<BackupPair> selectedPairs, BackupRunOptions options, ITaskLog log)
    {
        ArgumentNullException.ThrowIfNull(selectedPairs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Suffix is not null)
        {
            SnapshotSuffix.ThrowIfInvalid(options.Suffix);
        }

        Options = options;
        Log = log;
        pairs = selectedPairs.ToDictionary(pair => pair.Name, pair => new PairRun(pair), StringComparer.Ordinal);
        Pairs = selectedPairs.Select(pair => pairs[pair.Name]).ToList();
    }

    public BackupRunOptions Options { get; }

    public ITaskLog Log { get; }

    public IReadOnlyList<PairRun> Pairs { get; }

    public IEnumerable<PairRun> FailedPairs => Pairs.Where(pair => pair.HasFailed);

    public PairRun this[string pairName] => pairs[pairName];

    /// <summary>Whether a step should run now; logs the reason when it should not. In a dry run, plans the step.</summary>
    public bool ShouldRun(string pairName, BackupStep step)
    {
        var pair = this[pairName];
        var reason = SkipReason(pair, step);
        if (reason is not null)
        {
            pair.Skipped.Add($"{step}: {reason}");
            Log.Information($"Skipping {step}:{pairName}: {reason}.");
            return false;
        }

        if (Options.DryRun)
        {
            // Cake will not run the body in a dry run: plan (and print) the step here instead.
            return TryRun(pair, step);
        }

        return true;
    }

    /// <summary>Runs a step; on failure the pair is marked failed and the error is rethrown for the host.</summary>
    /// <exception cref="BackupException">The step failed.</exception>
    public void Run(string pairName, BackupStep step)
    {
        var pair = this[pairName];
        if (!TryRun(pair, step))
        {
            throw new BackupException(pair.FailureMessage!);
        }
    }

    private bool TryRun(PairRun pair, BackupStep step)
    {
        try
        {
            Execute(pair, step);
            return true;
        }
        catch (BackupException e)
        {
            pair.Fail(step, e.Message);
            Log.Error($"{step}:{pair.Pair.Name} failed: {e.Message}");
            return false;
        }
    }

    private static string? SkipReason(PairRun pair, BackupStep step)
    {
        if (pair.HasFailed)
        {
            return $"the pair already failed at {pair.FailedStep}";
        }

        if (step != BackupStep.Scan && pair.Inventory is null)
        {
            return "the pair has not been scanned";
        }

        return null;
    }

    private void Execute(PairRun pair, BackupStep step)
    {
        switch (step)
        {
            case BackupStep.Scan:
                var scan = Prepare(new ScanTask { Pair = pair.Pair });
                ThrowIfFailed(scan.Execute(), scan);
                pair.Inventory = scan.Inventory;
                break;
            case BackupStep.Snapshot:
                var snapshot = Prepare(new SnapshotTask { Inventory = pair.Inventory!, Suffix = Options.Suffix, Clock = Options.Clock });
                ThrowIfFailed(snapshot.Execute(), snapshot);
                pair.Inventory = snapshot.UpdatedInventory;
                pair.Done.Add($"{(Options.DryRun ? "would snapshot" : "snapshot")} {snapshot.Plan!.Path}");
                break;
            default:
                throw new BackupException($"{step} is not available yet.");
        }
    }

    private TTask Prepare<TTask>(TTask task)
        where TTask : BackupTask
    {
        task.Log = new SilentErrorLog(Log);
        task.DryRun = Options.DryRun;
        return task;
    }

    private static void ThrowIfFailed(bool succeeded, BackupTask task)
    {
        if (!succeeded)
        {
            throw new BackupException(task.FailureMessage!);
        }
    }

    // The run reports a failed step once, with its step and pair; the task's own error line would repeat it.
    private sealed class SilentErrorLog(ITaskLog inner) : ITaskLog
    {
        public void Information(string message) => inner.Information(message);

        public void Warning(string message) => inner.Warning(message);

        public void Error(string message)
        {
        }

        public void Verbose(string message) => inner.Verbose(message);
    }
}
