namespace BtrfsBackup.Tasks;

/// <summary>How a step ended: done, or failed with a cause that says what went wrong and where (the pair and step are added by whoever reports it).</summary>
internal sealed record StepOutcome(string? FailureCause)
{
    public static StepOutcome Done { get; } = new((string?)null);

    public bool Succeeded => FailureCause is null;

    public static StepOutcome Failed(string cause) => new(cause);

    /// <summary>Any exception becomes a failure, not only ours: an unexpected I/O error must fail the step, never pass as success.</summary>
    public static StepOutcome From(Exception exception) => Failed(exception switch
    {
        BackupException => exception.Message,
        OperationCanceledException => "interrupted before the step finished",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    });

    public override string ToString() => FailureCause is null ? "done" : $"failed: {FailureCause}";
}
