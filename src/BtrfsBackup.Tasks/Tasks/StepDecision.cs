using BtrfsBackup.Planning;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Whether a step of a pair runs, decided once: it runs with the plan made for it, is skipped (a
/// fixed kind plus the particulars), or fails with a cause known before it starts.
/// </summary>
internal sealed record StepDecision
{
    private StepDecision(SkipKind? skip, string? detail, object? plan)
    {
        Skip = skip;
        Detail = detail;
        Plan = plan;
    }

    public static StepDecision Go { get; } = new(null, null, null);

    public SkipKind? Skip { get; }

    /// <summary>Why the step is skipped, or why it fails.</summary>
    public string? Detail { get; }

    /// <summary>What the step will do: a <see cref="SnapshotPlan"/>, <see cref="SendPlan"/>, <see cref="PurgePlan"/>, or the backups verify checks; null for a scan.</summary>
    public object? Plan { get; }

    /// <summary>The step's criteria pass: it runs, or fails when it does (<see cref="FailsWith"/>).</summary>
    public bool Runs => Skip is null;

    /// <summary>The cause the step fails with as soon as it runs.</summary>
    public string? FailsWith => Skip is null && Plan is null ? Detail : null;

    public static StepDecision RunWith(object plan) => new(null, null, plan);

    public static StepDecision SkipBecause(SkipKind kind, string detail) => new(kind, detail, null);

    public static StepDecision FailBecause(string cause) => new(null, cause, null);
}
