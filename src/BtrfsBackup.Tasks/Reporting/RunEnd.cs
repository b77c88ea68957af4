using BtrfsBackup.Tasks;

namespace BtrfsBackup.Reporting;

/// <summary>
/// What a real run leaves behind when it ends, after the summary: the history lines, the metrics
/// file, then the hook. Nothing of this happens in a dry run. A history or metrics file that cannot
/// be written is an error of the run (monitoring that silently stops is what this is for); a hook
/// that fails is only a warning.
/// </summary>
internal static class RunEnd
{
    /// <summary>Records the run and runs its hook; returns the problems writing the history or metrics (empty when none).</summary>
    public static IReadOnlyList<string> Record(BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var problems = new List<string>();
        if (run.Options.DryRun)
        {
            return problems;
        }

        var settings = run.Options.RunSettings;
        var now = run.Environment.Clock.GetUtcNow();
        var records = RunRecords.Of(run, now);
        if (settings.HistoryFile is { } history)
        {
            Try(problems, $"the run history {history}", () => RunHistory.Append(history, records, settings.HistoryMaxBytes));
        }

        if (settings.MetricsFile is { } metrics && records.Count > 0)
        {
            var newest = run.Pairs.ToDictionary(
                pair => pair.Pair.Name,
                pair => pair.Inventory is { IsTargetReachable: true, Target.Newest: { } backup } ? backup.Name.Instant : (DateTimeOffset?)null,
                StringComparer.Ordinal);
            Try(problems, $"the metrics file {metrics}", () => MetricsFile.Write(
                metrics,
                records.Select(record => new PairMetrics(record, newest[record.Pair])).ToList(),
                run.ConfiguredPairs.Select(pair => pair.Name).ToList(),
                pair => settings.HistoryFile is { } file ? RunHistory.LastSuccessFor(file, pair)?.Ended : null,
                now));
        }

        foreach (var problem in problems)
        {
            run.Log.Error(problem);
        }

        RunHook(run, settings, problems);
        return problems;
    }

    private static void RunHook(BackupRun run, Configuration.RunSettings settings, List<string> problems)
    {
        var attention = RunVerdict.NeedsAttention(run) || problems.Count > 0;
        var hook = attention ? settings.OnFailure : settings.OnSuccess;
        if (hook is null)
        {
            return;
        }

        var outcome = !attention ? RunOutcomes.Succeeded : run.InterruptedBy is not null ? RunOutcomes.Interrupted : RunOutcomes.Failed;
        var summary = string.Join('\n', [RunSummary.Format(run), .. problems]);
        RunHooks.Run(hook, summary, outcome, RunVerdict.AttentionPairs(run), settings.HookTimeLimit, run.Log);
    }

    private static void Try(List<string> problems, string what, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"Could not write {what}: {e.Message}");
        }
    }
}
