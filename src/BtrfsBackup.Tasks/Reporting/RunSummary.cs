using System.Text;
using BtrfsBackup.Tasks;

namespace BtrfsBackup.Reporting;

/// <summary>
/// The table printed after Cake's own task summary: per pair, the snapshot taken, what was sent,
/// what was deleted on each side, what was skipped and why, and the outcome. Plain lines, so it
/// reads the same at a terminal and in the journal. A stale pair gets a <c>STALE:</c> line; a run that
/// only scanned (<c>list</c>, <c>status</c>) has nothing else to say, so its summary is those lines alone.
/// </summary>
internal static class RunSummary
{
    public static string Format(BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var dryRun = run.Options.DryRun;
        var text = new StringBuilder();
        text.AppendLine(dryRun ? "Run summary (dry run: nothing was changed)" : "Run summary");
        if (!HasStepsToReport(run))
        {
            foreach (var stale in run.StalePairs())
            {
                text.AppendLine($"  {stale.Pair}: {stale.StaleLine}");
            }

            return text.ToString().TrimEnd();
        }

        foreach (var pair in run.Pairs)
        {
            text.AppendLine($"  {pair.Pair.Name}: {Outcome(pair, run)}");
            if (run.FreshnessOf(pair)?.StaleLine is { } staleLine)
            {
                text.AppendLine($"    {staleLine}");
            }

            Line(text, "snapshot", pair.SnapshotCreated is null ? [] : [$"{(dryRun ? "would take " : string.Empty)}{pair.SnapshotCreated}"]);
            Line(text, "sent", pair.Sends.Select(send => dryRun ? $"would send {send}" : send.ToString()));
            Line(text, "deleted", pair.Deleted.Select(deletion => $"{(dryRun ? "would delete " : string.Empty)}{deletion.Path} ({deletion.Reason})"));
            Line(text, "skipped", pair.Skipped);
            if (pair.Restored is { } restore)
            {
                // Only for the restore target: every other run would print a line of dashes.
                Line(text, "restored", [$"{(dryRun ? "would restore " : string.Empty)}{restore.Copy} to {restore.To}{(restore.Transfers ? $" (received {(restore.Parent is { } parent ? $"incrementally from {parent.Snapshot.Name}" : "in full")}{(restore.KeepReceived ? $", read-only copy kept at {restore.ReceivedPath}" : string.Empty)})" : " (a snapshot on the same filesystem)")}"]);
            }
        }

        if (run.InterruptedBy is not null)
        {
            text.AppendLine($"  The run was interrupted by {run.InterruptedBy}.");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>False for a run that only scanned (<c>list</c>, <c>status</c>) and found no stale pair: its table would be all dashes.</summary>
    public static bool HasAnythingToReport(BackupRun run) => HasStepsToReport(run) || run.StalePairs().Count > 0;

    private static bool HasStepsToReport(BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.InterruptedBy is not null
            || run.Pairs.Any(pair => pair.HasFailed || pair.SnapshotCreated is not null || pair.Sends.Count > 0 || pair.Deleted.Count > 0 || pair.Skipped.Count > 0 || pair.Restored is not null);
    }

    private static string Outcome(PairRun pair, BackupRun run) =>
        pair.HasFailed ? $"FAILED at {pair.FailedStep}: {pair.FailureCause}"
        : run.InterruptedBy is not null ? "interrupted"
        : "succeeded";

    private static void Line(StringBuilder text, string label, IEnumerable<string> items)
    {
        var lines = items.ToList();
        if (lines.Count == 0)
        {
            text.AppendLine($"    {label,-9} -");
            return;
        }

        for (var index = 0; index < lines.Count; index++)
        {
            text.AppendLine($"    {(index == 0 ? label : string.Empty),-9} {lines[index]}");
        }
    }
}
