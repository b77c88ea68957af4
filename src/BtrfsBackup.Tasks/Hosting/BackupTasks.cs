using BtrfsBackup.Reporting;
using BtrfsBackup.Tasks;
using BtrfsBackup.Watching;
using Cake.Core;

namespace BtrfsBackup.Hosting;

/// <summary>
/// The tasks and targets of a run, registered in one place for every host: the Cake scripts pass
/// their <c>Task</c> method, the <c>btrfsbackup</c> program its script host's. So the two can
/// never drift apart: same tasks, dependencies, criteria, descriptions and skip reasons.
/// </summary>
public static class BackupTasks
{
    /// <summary>The standard targets, in the order help lists them.</summary>
    public static IReadOnlyList<(string Name, string Description)> Targets { get; } =
    [
        ("nightly", "The nightly job: for each pair, snapshot the source, send new snapshots to the target, purge old ones on both sides."),
        ("snapshot", "Takes a read-only snapshot of each selected pair's source (--pair=NAME or --all, optional --suffix=TEXT)."),
        ("backup", "Sends each selected pair's new snapshots to its target (--pair=NAME or --all)."),
        ("purge", "Deletes old snapshots on each selected pair's source and target per its retention (--pair=NAME or --all)."),
        ("list", "Shows each pair's snapshots, backups, the next incremental's parent, and what is left alone and why. Changes nothing. --format=json for monitoring."),
        ("status", "One line per pair: newest snapshot age, newest backup age, stale or not, last run. Changes nothing; exits 3 when a pair is stale. --format=json for monitoring."),
        ("restore", "Restores one snapshot of a pair (--pair=NAME --snapshot=NAME|latest --to=PATH) as a new writable subvolume at PATH, from the snapshot_dir or the target; never overwrites."),
        ("verify", "Compares each pair's newest backup (--all-backups: every backup) with its source snapshot: metadata, and with --verify=content (the default) every file. Changes nothing; exit code 4 when one differs."),
    ];

    /// <summary>Targets that change the pairs chosen, which therefore must be named (<c>--pair</c> or <c>--all</c>).</summary>
    public static IReadOnlyList<string> TargetsNeedingPairs { get; } = ["snapshot", "backup", "purge", "restore"];

    /// <summary>Registers each pair's tasks and every standard target.</summary>
    /// <param name="run">The pairs to register tasks for.</param>
    /// <param name="task">The host's way to make a task: a script's <c>Task</c>, or a script host's.</param>
    public static void RegisterAll(BackupRun run, Func<string, CakeTaskBuilder> task)
    {
        RegisterPairTasks(run, task);
        RegisterTargetOverPairs(run, task, "snapshot", BackupStep.Snapshot);
        RegisterTargetOverPairs(run, task, "backup", BackupStep.Send);
        RegisterTargetOverPairs(run, task, "purge", BackupStep.Purge);
        RegisterTargetOverPairs(run, task, "nightly", BackupStep.Snapshot, BackupStep.Send, BackupStep.Purge);
        RegisterListTarget(run, task);
        RegisterTargetOverPairs(run, task, "restore", BackupStep.Restore);
        RegisterStatusTarget(run, task);
        RegisterTargetOverPairs(run, task, "verify", BackupStep.Verify);
    }

    /// <summary>The <c>status</c> target: one line per selected pair (or JSON), judged at the pair's own "now"; changes nothing.</summary>
    public static CakeTaskBuilder RegisterStatusTarget(BackupRun run, Func<string, CakeTaskBuilder> task) =>
        RegisterTargetOverPairs(run, task, "status", BackupStep.Scan).Does(() => ShowStatus(run));

    /// <summary>The <c>list</c> target: each selected pair's table, judged at the pair's own "now"; changes nothing.</summary>
    public static CakeTaskBuilder RegisterListTarget(BackupRun run, Func<string, CakeTaskBuilder> task) =>
        RegisterTargetOverPairs(run, task, "list", BackupStep.Scan).Does(() => ListPairs(run));

    /// <summary>
    /// For each selected pair: <c>Scan:PAIR</c> (reads, changes nothing), and after it
    /// <c>Snapshot:PAIR</c>, <c>Send:PAIR</c>, <c>Purge:PAIR</c> and <c>Verify:PAIR</c>, each with its description,
    /// criteria (one per skip reason, and the dry-run plan) and body.
    /// </summary>
    public static void RegisterPairTasks(BackupRun run, Func<string, CakeTaskBuilder> task)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(task);
        foreach (var pairRun in run.Pairs)
        {
            var pair = pairRun.Pair;
            var name = pair.Name;
            task($"Scan:{name}")
                .Description($"Reads pair '{name}': source {pair.Source}, snapshots in {pair.SnapshotDir}, backups in {pair.Target ?? "(no target)"}. Changes nothing.")
                .RunsBackupStep(run, name, BackupStep.Scan);
            task($"Snapshot:{name}")
                .Description($"Takes a read-only snapshot of {pair.Source} into {pair.SnapshotDir}, named by the local time and its UTC offset (and --suffix).")
                .IsDependentOn($"Scan:{name}")
                .RunsBackupStep(run, name, BackupStep.Snapshot);
            task($"Send:{name}")
                .Description(pair.Target is null
                    ? $"Pair '{name}' has no target: skipped."
                    : $"Sends the snapshots of '{name}' not yet on {pair.Target} (btrfs send | btrfs receive), each incrementally from the nearest one backed up.")
                .IsDependentOn($"Scan:{name}")
                .RunsBackupStep(run, name, BackupStep.Send);
            task($"Purge:{name}")
                .Description($"Deletes snapshots of '{name}' that retention lets go (source: {pair.SourceRetention?.ToString() ?? "never purged"}; target: {pair.TargetRetention?.ToString() ?? "never purged"}), never the next incremental's parent nor anything not yet backed up.")
                .IsDependentOn($"Scan:{name}")
                .RunsBackupStep(run, name, BackupStep.Purge);
            task($"Restore:{name}")
                .Description($"Restores --snapshot of '{name}' (from {pair.SnapshotDir}, else from {pair.Target ?? "(no target)"}) as a new writable subvolume at --to. Needs no scan of the source.")
                .RunsBackupStep(run, name, BackupStep.Restore);
            task($"Verify:{name}")
                .Description(pair.Target is null
                    ? $"Pair '{name}' has no target: nothing to verify."
                    : $"Compares the newest backup of '{name}' on {pair.TargetLocation} (--all-backups: each) with the snapshot it was received from: read-only, Received UUID, and (--verify=content, the default) every path, mode, owner, size, mtime, symlink, hard link, xattr and file checksum. Changes nothing.")
                .IsDependentOn($"Scan:{name}")
                .RunsBackupStep(run, name, BackupStep.Verify);
        }
    }

    /// <summary>
    /// A target that runs the given steps for every selected pair: first every pair's scan, then pair by
    /// pair in the order of the config file, and within a pair in the order given (so Purge comes after Send). Its description
    /// is the standard target's, when it is one.
    /// </summary>
    public static CakeTaskBuilder RegisterTargetOverPairs(BackupRun run, Func<string, CakeTaskBuilder> task, string target, params BackupStep[] steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(task);
        var builder = task(target).Description(Targets.FirstOrDefault(known => known.Name == target).Description ?? $"Runs {string.Join(", ", steps)} for each selected pair.");
        // Every pair's scan first, before any step changes a filesystem: pairs on the same filesystem share its listing.
        foreach (var pairRun in steps.Any(step => step is not (BackupStep.Scan or BackupStep.Restore)) ? run.Pairs : [])
        {
            builder.IsDependentOn($"{BackupStep.Scan}:{pairRun.Pair.Name}");
        }

        foreach (var pairRun in run.Pairs)
        {
            foreach (var step in steps)
            {
                builder.IsDependentOn($"{step}:{pairRun.Pair.Name}");
            }
        }

        return builder;
    }

    // The list target's body: each scanned pair's table, judged at the pair's own "now".
    private static void ListPairs(BackupRun run)
    {
        if (run.Options.Format == OutputFormat.Json)
        {
            var scanned = run.Pairs
                .Where(pairRun => pairRun.Inventory is not null)
                .Select(pairRun => (pairRun.Inventory!, pairRun.Now ?? run.Environment.Clock.GetUtcNow()))
                .ToList();
            run.Output.WriteLine(ListReport.Json(scanned, run.Environment.Clock.LocalTimeZone));
            return;
        }

        foreach (var pairRun in run.Pairs.Where(pairRun => pairRun.Inventory is not null))
        {
            run.Log.Information(InventoryReport.Format(pairRun.Inventory!, pairRun.Now ?? run.Environment.Clock.GetUtcNow(), run.Environment.Clock.LocalTimeZone, run.Options.Why));
            run.Log.Information(string.Empty);
        }
    }

    // The status target's body: a scanned pair's ages; a pair whose scan failed with its error.
    private static void ShowStatus(BackupRun run)
    {
        var pairs = run.Pairs.Select(pairRun => pairRun.Inventory is { } inventory
                ? PairStatus.Of(inventory, pairRun.Now ?? run.Environment.Clock.GetUtcNow(), run.LastRuns.For(pairRun.Pair.Name))
                : PairStatus.Failed(pairRun.Pair.Name, pairRun.FailureCause ?? "not scanned", run.LastRuns.For(pairRun.Pair.Name)))
            .ToList();
        if (run.Options.Format == OutputFormat.Json)
        {
            run.Output.WriteLine(StatusReport.Json(pairs));
        }
        else
        {
            run.Log.Information(StatusReport.Text(pairs));
        }
    }
}
