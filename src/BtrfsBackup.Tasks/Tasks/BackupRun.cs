using System.Runtime.InteropServices;
using BtrfsBackup.Configuration;
using BtrfsBackup.Logging;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Drives the tasks for the selected pairs of one run and keeps each pair's state between them.
/// A host (a Cake recipe) asks <see cref="Decide"/> and <see cref="ShouldRun"/> before each step and
/// calls <see cref="Run"/> for its body. A dry run does its planning inside <see cref="ShouldRun"/>,
/// because Cake's dry run evaluates criteria but skips bodies; so the plan printed is the one a
/// real run would execute.
/// </summary>
public sealed class BackupRun : IDisposable
{
    private readonly Dictionary<string, PairRun> pairs;
    private readonly CancellationTokenSource interruption = new();
    private readonly List<PosixSignalRegistration> signalHandlers = [];
    private static readonly TimeSpan RepeatedSignalWindow = TimeSpan.FromSeconds(2);
    private DateTime? interruptedAt;

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

    /// <summary>Set when the run was told to stop (Ctrl-C, SIGTERM): the current step cleans up, the rest are skipped.</summary>
    public string? InterruptedBy { get; private set; }

    public PairRun this[string pairName] => pairs[pairName];

    /// <summary>Stops the step under way (its cleanup still runs) and skips every later one.</summary>
    public void Interrupt(string signal)
    {
        if (InterruptedBy is not null)
        {
            return;
        }

        InterruptedBy = signal;
        interruptedAt = DateTime.UtcNow;
        Log.Warning($"Received {signal}: stopping after cleaning up the step under way (send it again to stop at once).");
        interruption.Cancel();
    }

    /// <summary>
    /// Turns Ctrl-C (SIGINT) and SIGTERM into <see cref="Interrupt"/> instead of an abrupt exit, so a
    /// transfer under way stops both btrfs processes and removes its partial subvolume first.
    /// </summary>
    public void InterruptOnSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            signalHandlers.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // A signal again, seconds after the first, ends the process the usual way. Copies that
                // arrive together do not: `dotnet cake` forwards to Cake what the process group got.
                context.Cancel = interruptedAt is not { } first || DateTime.UtcNow - first < RepeatedSignalWindow;
                Interrupt(signal.ToString());
            }));
        }
    }

    public void Dispose()
    {
        foreach (var pair in Pairs)
        {
            pair.Lock?.Dispose();
        }

        signalHandlers.ForEach(handler => handler.Dispose());
        interruption.Dispose();
    }

    /// <summary>Whether a step runs, decided once, when first asked, from the pair's state at that moment.</summary>
    public StepDecision Decide(string pairName, BackupStep step)
    {
        var pair = this[pairName];
        if (!pair.Decisions.TryGetValue(step, out var decision))
        {
            decision = MakeDecision(pair, step);
            pair.Decisions[step] = decision;
            if (decision.Skip is { } kind)
            {
                pair.Skipped.Add($"{step}: {decision.Detail}");
                var message = $"Skipping {step}:{pairName}: {decision.Detail}.";
                if (kind == SkipKind.TargetUnreachable)
                {
                    Log.Warning(message);
                }
                else
                {
                    Log.Information(message);
                }
            }
        }

        return decision;
    }

    /// <summary>The last criterion of a step: true when it runs. In a dry run, plans (and prints) the step here.</summary>
    public bool ShouldRun(string pairName, BackupStep step)
    {
        if (!Decide(pairName, step).Runs)
        {
            return false;
        }

        if (!Options.DryRun)
        {
            return true;
        }

        // Cake prints the task's name after its criteria: say here which task the plan lines belong to.
        if (step != BackupStep.Scan)
        {
            Log.Information($"Plan for {step}:{pairName}:");
        }

        return TryRun(this[pairName], step);
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
        catch (Exception e)
        {
            // Whatever went wrong, the pair fails here and the run goes on with the others.
            var message = e is BackupException ? e.Message : $"Pair '{pair.Pair.Name}': {e.GetType().Name}: {e.Message}";
            pair.Fail(step, message);
            Log.Error($"{step}:{pair.Pair.Name} failed: {message}");
            return false;
        }
    }

    private StepDecision MakeDecision(PairRun pair, BackupStep step)
    {
        if (InterruptedBy is not null)
        {
            return StepDecision.SkipBecause(SkipKind.Interrupted, $"the run was interrupted by {InterruptedBy}");
        }

        if (pair.HasFailed)
        {
            return StepDecision.SkipBecause(SkipKind.PairFailed, $"the pair failed at {pair.FailedStep}");
        }

        if (step == BackupStep.Scan)
        {
            return StepDecision.Go;
        }

        if (pair.Inventory is not { } inventory)
        {
            // The scan did not run (a recipe without Scan:PAIR, or --exclusive): scan now, it changes nothing.
            if (!TryRun(pair, BackupStep.Scan))
            {
                return StepDecision.SkipBecause(SkipKind.PairFailed, $"the pair failed at {pair.FailedStep}");
            }

            inventory = pair.Inventory!;
        }

        return step switch
        {
            BackupStep.Send => DecideSend(inventory),
            BackupStep.Purge => DecidePurge(inventory),
            _ => StepDecision.Go,
        };
    }

    private StepDecision DecidePurge(PairInventory inventory)
    {
        var plan = RetentionPlanner.Plan(inventory, Options.Clock());
        if (plan.HasWork)
        {
            return StepDecision.Go;
        }

        var source = $"source: {plan.Source.SkipReason ?? "every snapshot is within retention"}";
        var target = plan.Target.SkipReason is null ? "target: every backup is within retention"
            : inventory.IsTargetReachable || inventory.TargetStatus == TargetStatus.NotConfigured ? $"target: {plan.Target.SkipReason}"
            : $"target not purged: {inventory.TargetStatusReason}";
        return StepDecision.SkipBecause(SkipKind.NothingToPurge, $"nothing to purge ({source}; {target})");
    }

    private StepDecision DecideSend(PairInventory inventory)
    {
        switch (inventory.TargetStatus)
        {
            case TargetStatus.NotConfigured:
                return StepDecision.SkipBecause(SkipKind.NoTarget, inventory.TargetStatusReason);
            case TargetStatus.Reachable:
                break;
            default:
                return StepDecision.SkipBecause(SkipKind.TargetUnreachable, inventory.TargetStatusReason);
        }

        try
        {
            var plan = SendPlanner.Plan(inventory);
            if (plan.HasWork)
            {
                return StepDecision.Go;
            }

            // The send task will not run to say them: its warnings are said here.
            foreach (var warning in plan.Warnings)
            {
                Log.Warning($"Pair '{inventory.Pair.Name}': {warning}.");
            }

            return StepDecision.SkipBecause(SkipKind.NothingToSend, plan.SkipReason ?? "nothing new to send");
        }
        catch (BackupException)
        {
            // The send fails when it runs, with this message, rather than being skipped.
            return StepDecision.Go;
        }
    }

    private void Execute(PairRun pair, BackupStep step)
    {
        switch (step)
        {
            case BackupStep.Scan:
                // Before anything else on this pair: a second run stops here, having touched nothing.
                pair.Lock ??= Locking.PairLock.Acquire(pair.Pair);
                var scan = Prepare(new ScanTask { Pair = pair.Pair });
                ThrowIfFailed(scan.Execute(), scan);
                pair.Inventory = scan.Inventory;
                break;
            case BackupStep.Snapshot:
                var snapshot = Prepare(new SnapshotTask { Inventory = pair.Inventory!, Suffix = Options.Suffix, Clock = Options.Clock });
                ThrowIfFailed(snapshot.Execute(), snapshot);
                pair.Inventory = snapshot.UpdatedInventory;
                pair.SnapshotCreated = snapshot.Plan!.Path;
                break;
            case BackupStep.Send:
                var send = Prepare(new SendTask { Inventory = pair.Inventory! });
                var sent = send.Execute();
                pair.Sends.AddRange(send.Results);
                pair.Inventory = send.UpdatedInventory ?? pair.Inventory;
                ThrowIfFailed(sent, send);
                break;
            case BackupStep.Purge:
                var purge = Prepare(new PurgeTask { Inventory = pair.Inventory!, Clock = Options.Clock });
                var purged = purge.Execute();
                pair.Deleted.AddRange(purge.Deleted);
                pair.Inventory = purge.UpdatedInventory ?? pair.Inventory;
                ThrowIfFailed(purged, purge);
                break;
            default:
                throw new BackupException($"Unknown step {step}.");
        }
    }

    private TTask Prepare<TTask>(TTask task)
        where TTask : BackupTask
    {
        task.Log = Log;
        task.DryRun = Options.DryRun;
        task.Cancellation = interruption.Token;
        return task;
    }

    private static void ThrowIfFailed(bool succeeded, BackupTask task)
    {
        if (!succeeded)
        {
            throw new BackupException(task.FailureMessage!);
        }
    }
}
