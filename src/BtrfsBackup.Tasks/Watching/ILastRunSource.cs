namespace BtrfsBackup.Watching;

/// <summary>Where <c>status</c> learns each pair's last run from (the run history).</summary>
internal interface ILastRunSource
{
    /// <summary>The pair's last recorded run; null when none is known.</summary>
    LastRun? For(string pair);
}

/// <summary>Knows no run: <c>status</c> shows "unknown". Used until a run history is read.</summary>
internal sealed class NoLastRuns : ILastRunSource
{
    public static NoLastRuns Instance { get; } = new();

    public LastRun? For(string pair) => null;
}
