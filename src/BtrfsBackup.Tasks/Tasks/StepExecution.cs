using BtrfsBackup.Locking;
using BtrfsBackup.Planning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Carries out a step of a pair with the plan its decision made, through the task classes, and keeps
/// what it did in the pair's state. Nothing here plans again; the tasks re-check on disk right before
/// each destructive command.
/// </summary>
internal static class StepExecution
{
    public static StepOutcome Run(BackupRun run, PairRun pair, BackupStep step, Action beforeFirstStep)
    {
        try
        {
            beforeFirstStep();
            if (step != BackupStep.Scan && run.Decide(pair.Pair.Name, step).FailsWith is { } cause)
            {
                return StepOutcome.Failed(cause);
            }

            try
            {
                return RunStep(run, pair, step);
            }
            finally
            {
                // Whatever a step other than a scan did may have changed a filesystem: later scans list again.
                if (step != BackupStep.Scan)
                {
                    run.Environment.Listings.Forget();
                }
            }
        }
        catch (Exception e)
        {
            return StepOutcome.From(e);
        }
    }

    private static StepOutcome RunStep(BackupRun run, PairRun pair, BackupStep step) =>
        step switch
        {
            BackupStep.Scan => Scan(run, pair),
            BackupStep.Snapshot => Snapshot(run, pair),
            BackupStep.Send => Send(run, pair),
            BackupStep.Purge => Purge(run, pair),
            BackupStep.Restore => Restore(run, pair),
            BackupStep.Verify => Verify(run, pair),
            _ => StepOutcome.Failed($"unknown step {step}"),
        };

    // --lock-timeout: a pair another run holds is waited for, saying so, and the wait ends with Ctrl-C or SIGTERM.
    private static LockWait LockWaitFor(BackupRun run, PairRun pair) =>
        new(run.Options.LockTimeout, waiting => run.Log.Warning($"{pair.Pair.Name}: {waiting}"), run.Interruption.Token);

    private static StepOutcome Scan(BackupRun run, PairRun pair)
    {
        // Before anything else on this pair: a second run stops here, having touched nothing.
        if (pair.Locks.Count == 0)
        {
            TakeFreeLocksAhead(run);
        }

        if (pair.Locks.Count == 0)
        {
            pair.Locks.AddRange(PairLocks.Acquire(run.Environment, pair.Pair, LockWaitFor(run, pair)));
            // Taken after the run may have listed this pair's filesystems: whoever held it may have changed them.
            run.Environment.Listings.Forget();
        }

        pair.Now ??= run.Environment.Clock.GetUtcNow();
        var scan = Prepare(run, new ScanTask { Pair = pair.Pair, AllPairs = run.ConfiguredPairs });
        var outcome = scan.Run();
        pair.Inventory = scan.Inventory ?? pair.Inventory;
        pair.ScannedInventory = scan.Inventory ?? pair.ScannedInventory;
        return outcome;
    }

    // Once per run, at its first scan: every selected pair's locks that are free now, so that the pairs'
    // scans can share one listing per filesystem (a listing counts for a pair only if made after its
    // locks were taken). A pair whose lock is held, or cannot be taken now, waits at its own scan as before.
    private static void TakeFreeLocksAhead(BackupRun run)
    {
        if (!run.TryLocksAhead())
        {
            return;
        }

        foreach (var other in run.Pairs.Where(other => other.Locks.Count == 0 && !other.HasFailed))
        {
            try
            {
                other.Locks.AddRange(PairLocks.Acquire(run.Environment, other.Pair, LockWait.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Its own scan takes it (waiting up to --lock-timeout) and says why it cannot.
            }
        }
    }

    private static StepOutcome Snapshot(BackupRun run, PairRun pair)
    {
        var task = Prepare(run, new SnapshotTask { Inventory = pair.Inventory!, Plan = PlanOf<SnapshotPlan>(run, pair, BackupStep.Snapshot) });
        var outcome = task.Run();
        if (outcome.Succeeded)
        {
            pair.Inventory = task.UpdatedInventory;
            pair.SnapshotCreated = task.Plan!.Path;
        }

        return outcome;
    }

    private static StepOutcome Send(BackupRun run, PairRun pair)
    {
        var task = Prepare(run, new SendTask { Inventory = pair.Inventory!, Plan = PlanOf<SendPlan>(run, pair, BackupStep.Send) });
        var outcome = task.Run();
        pair.Sends.AddRange(task.Results);
        pair.Deleted.AddRange(task.Deleted);
        pair.Inventory = task.UpdatedInventory ?? pair.Inventory;
        return outcome;
    }

    private static StepOutcome Purge(BackupRun run, PairRun pair)
    {
        var task = Prepare(run, new PurgeTask { Inventory = pair.Inventory!, Plan = PlanOf<PurgePlan>(run, pair, BackupStep.Purge) });
        var outcome = task.Run();
        pair.Deleted.AddRange(task.Deleted);
        pair.Inventory = task.UpdatedInventory ?? pair.Inventory;
        return outcome;
    }

    // Needs no scan (the source may be the disk that died): it reads the snapshot_dir and the target itself.
    private static StepOutcome Restore(BackupRun run, PairRun pair)
    {
        if (run.Options.Restore is not { } request)
        {
            return StepOutcome.Failed("restore needs --snapshot=NAME (or latest) and --to=PATH, the new subvolume to create");
        }

        if (run.Pairs.Count != 1)
        {
            return StepOutcome.Failed($"restore works on one pair at a time; name it with --pair=NAME (selected: {string.Join(", ", run.Pairs.Select(selected => selected.Pair.Name))})");
        }

        if (pair.Locks.Count == 0)
        {
            pair.Locks.AddRange(PairLocks.Acquire(run.Environment, pair.Pair, LockWaitFor(run, pair)));
        }

        var task = Prepare(run, new RestoreTask { Pair = pair.Pair, Request = request });
        var outcome = task.Run();
        pair.Restored = task.Plan;
        return outcome;
    }

    private static StepOutcome Verify(BackupRun run, PairRun pair)
    {
        var task = Prepare(run, new VerifyTask { Inventory = pair.Inventory!, Mode = run.Options.Verify, AllBackups = run.Options.AllBackups });
        var outcome = task.Run();
        pair.Verification = task.Result ?? pair.Verification;
        return outcome;
    }

    private static TPlan? PlanOf<TPlan>(BackupRun run, PairRun pair, BackupStep step)
        where TPlan : class =>
        run.Decide(pair.Pair.Name, step).Plan as TPlan;

    private static TTask Prepare<TTask>(BackupRun run, TTask task)
        where TTask : BackupTask
    {
        task.Log = run.Log;
        task.DryRun = run.Options.DryRun;
        task.Cancellation = run.Interruption.Token;
        task.Environment = run.Environment;
        return task;
    }
}
