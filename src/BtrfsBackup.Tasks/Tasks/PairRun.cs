using BtrfsBackup.Configuration;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tasks;

/// <summary>One pair's state during a run: what the scan saw, what was done or skipped, and whether it failed.</summary>
public sealed class PairRun(BackupPair pair)
{
    public BackupPair Pair { get; } = pair;

    /// <summary>The latest known state: the scan's, advanced by each step (in memory during a dry run).</summary>
    public PairInventory? Inventory { get; internal set; }

    public BackupStep? FailedStep { get; private set; }

    public string? FailureMessage { get; private set; }

    public bool HasFailed => FailedStep is not null;

    /// <summary>The snapshot this run took (or, in a dry run, would take).</summary>
    public string? SnapshotCreated { get; internal set; }

    /// <summary>One line per step skipped, with the particular reason.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Sends done in this run (planned ones in a dry run).</summary>
    public List<SendResult> Sends { get; } = [];

    /// <summary>Deletions done by the purge (planned ones in a dry run), with their reasons.</summary>
    public List<Planning.PlannedStep> Deleted { get; } = [];

    /// <summary>Decided once per step, when Cake first asks, so every criterion sees the same answer.</summary>
    internal Dictionary<BackupStep, StepDecision> Decisions { get; } = [];

    /// <summary>Held from the pair's first step to the end of the run.</summary>
    internal Locking.PairLock? Lock { get; set; }

    internal void Fail(BackupStep step, string message)
    {
        FailedStep ??= step;
        FailureMessage ??= message;
    }
}
