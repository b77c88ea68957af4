using BtrfsBackup.Configuration;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Tasks;

/// <summary>One pair's state during a run: what the scan saw, what was done or skipped, and whether it failed.</summary>
public sealed class PairRun(BackupPair pair)
{
    /// <summary>The pair as configured.</summary>
    public BackupPair Pair { get; } = pair;

    /// <summary>The latest known state: the scan's, advanced by each step (in memory during a dry run).</summary>
    public PairInventory? Inventory { get; internal set; }

    /// <summary>The state as the scan read it, before any step changed it: what a dry run is judged by.</summary>
    public PairInventory? ScannedInventory { get; internal set; }

    /// <summary>The pair's "now", read once when its first step starts: every decision for the pair is made against it.</summary>
    public DateTimeOffset? Now { get; internal set; }

    /// <summary>When the pair's last step (run or failed) ended: with <see cref="Now"/>, how long the pair took.</summary>
    public DateTimeOffset? Ended { get; internal set; }

    /// <summary>The step at which the pair failed; null while it has not.</summary>
    public BackupStep? FailedStep { get; private set; }

    /// <summary>What went wrong, without the pair or step (<see cref="FailureSummary"/> adds them).</summary>
    public string? FailureCause { get; private set; }

    /// <summary>Whether the pair failed; its later steps are skipped.</summary>
    public bool HasFailed => FailedStep is not null;

    /// <summary>"home at Send: CAUSE": the one place a failure is tied to its pair and step.</summary>
    public string? FailureSummary => HasFailed ? $"{Pair.Name} at {FailedStep}: {FailureCause}" : null;

    /// <summary>The snapshot this run took (or, in a dry run, would take).</summary>
    public string? SnapshotCreated { get; internal set; }

    /// <summary>One line per step skipped, with the particular reason.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Sends done in this run (planned ones in a dry run).</summary>
    public List<SendResult> Sends { get; } = [];

    /// <summary>Every subvolume this run deleted for the pair (planned ones in a dry run), whatever the cause, with its reason.</summary>
    public List<PlannedStep> Deleted { get; } = [];

    /// <summary>What the restore target restored (or, in a dry run, would restore).</summary>
    public Restore.RestorePlan? Restored { get; internal set; }
    /// <summary>What verify found (the <c>verify</c> target); null when it did not run.</summary>
    public PairVerification? Verification { get; internal set; }

    /// <summary>Decided once per step, when Cake first asks, so every criterion sees the same answer.</summary>
    internal Dictionary<BackupStep, StepDecision> Decisions { get; } = [];

    /// <summary>Held from the pair's first step to the end of the run.</summary>
    internal List<IDisposable> Locks { get; } = [];

    internal void Fail(BackupStep step, string cause)
    {
        FailedStep ??= step;
        FailureCause ??= cause;
    }
}
