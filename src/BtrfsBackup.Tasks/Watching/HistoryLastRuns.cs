using BtrfsBackup.Reporting;

namespace BtrfsBackup.Watching;

/// <summary>Each pair's last run as the run history recorded it: what <c>status</c> shows in its last column.</summary>
internal sealed class HistoryLastRuns(string historyFile) : ILastRunSource
{
    public LastRun? For(string pair) =>
        RunHistory.LastFor(historyFile, pair) is { } record ? new LastRun(record.Started, record.Ended, record.Outcome) : null;
}
