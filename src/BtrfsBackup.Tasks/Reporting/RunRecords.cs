using BtrfsBackup.Tasks;

namespace BtrfsBackup.Reporting;

/// <summary>Turns a finished run's pairs into history records: the one place a pair's outcome is named.</summary>
internal static class RunRecords
{
    /// <summary>
    /// A record for each pair the run acted on: a pair that only had a scan (the <c>list</c> target)
    /// ran no backup and gets none. <paramref name="now"/> ends a pair that never started a step.
    /// </summary>
    public static IReadOnlyList<RunRecord> Of(BackupRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var zone = run.Environment.Clock.LocalTimeZone;
        return run.Pairs
            .Where(pair => pair.Decisions.Keys.Any(step => step != BackupStep.Scan))
            .Select(pair => Of(pair, run, zone, now))
            .ToList();
    }

    public static string OutcomeOf(PairRun pair, BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(run);
        var skips = pair.Decisions.Values.Select(decision => decision.Skip).ToList();
        if (run.InterruptedBy is not null && (pair.HasFailed || skips.Contains(SkipKind.Interrupted)))
        {
            return RunOutcomes.Interrupted;
        }

        return pair.HasFailed ? RunOutcomes.Failed
            : skips.Contains(SkipKind.TargetUnreachable) ? RunOutcomes.Skipped
            : RunOutcomes.Succeeded;
    }

    private static RunRecord Of(PairRun pair, BackupRun run, TimeZoneInfo zone, DateTimeOffset now)
    {
        var ended = pair.Ended ?? now;
        var snapshotDir = pair.Pair.SnapshotDir;
        var deleted = pair.Deleted.Select(step => step.Path).ToList();
        return new RunRecord
        {
            Pair = pair.Pair.Name,
            Started = Local(pair.Now ?? ended, zone),
            Ended = Local(ended, zone),
            Outcome = OutcomeOf(pair, run),
            FailedStep = pair.FailedStep?.ToString(),
            Error = pair.FailureCause,
            BytesSent = pair.Sends.Sum(send => send.Transfer?.Bytes ?? 0),
            SnapshotsMade = pair.SnapshotCreated is null ? [] : [Path.GetFileName(pair.SnapshotCreated)],
            SnapshotsSent = pair.Sends.Where(send => send.Transfer is not null).Select(send => send.Send.Snapshot.Subvolume.Name).ToList(),
            SnapshotsDeleted = new DeletedSnapshots(
                deleted.Where(path => Path.GetDirectoryName(path) == snapshotDir).Select(Path.GetFileName).ToList()!,
                deleted.Where(path => Path.GetDirectoryName(path) != snapshotDir).Select(Path.GetFileName).ToList()!),
            Skipped = pair.Skipped.ToList(),
            NewestBackup = pair.Inventory is { IsTargetReachable: true, Target.Newest: { } newest } ? newest.Subvolume.Name : null,
        };
    }

    // Whole seconds in the machine's zone: what a person reading the line expects.
    private static DateTimeOffset Local(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.AddTicks(-(local.Ticks % TimeSpan.TicksPerSecond));
    }
}
