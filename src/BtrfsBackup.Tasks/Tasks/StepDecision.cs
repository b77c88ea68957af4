namespace BtrfsBackup.Tasks;

/// <summary>Whether a step of a pair runs, and if not, why (a fixed kind plus the particulars).</summary>
public sealed record StepDecision(SkipKind? Skip, string? Detail)
{
    public static StepDecision Go { get; } = new(null, null);

    public bool Runs => Skip is null;

    public static StepDecision SkipBecause(SkipKind kind, string detail) => new(kind, detail);
}
