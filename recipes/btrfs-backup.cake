// Loads the BtrfsBackup library and registers the per-pair tasks: Scan:PAIR, Snapshot:PAIR.
// Each task asks the run whether it should go ahead (criteria, which also print the plan in a
// dry run) and keeps going past a failed pair (ContinueOnError), so other pairs still run.
#r "../src/BtrfsBackup.Tasks/bin/Release/net10.0/BtrfsBackup.Tasks.dll"

void RegisterPairTasks(BackupRun run)
{
    foreach (var pairRun in run.Pairs)
    {
        var pair = pairRun.Pair;
        var name = pair.Name;

        Task($"Scan:{name}")
            .Description($"Reads pair '{name}': source {pair.Source}, snapshots in {pair.SnapshotDir}, backups in {pair.Target ?? "(no target)"}. Changes nothing.")
            .WithCriteria(context => run.ShouldRun(name, BackupStep.Scan), $"pair '{name}' cannot be scanned")
            .Does(() => run.Run(name, BackupStep.Scan))
            .ContinueOnError();

        Task($"Snapshot:{name}")
            .Description($"Takes a read-only snapshot of {pair.Source} into {pair.SnapshotDir}, named by the local time (and --suffix).")
            .IsDependentOn($"Scan:{name}")
            .WithCriteria(context => run.ShouldRun(name, BackupStep.Snapshot), $"pair '{name}' is not ready for a snapshot")
            .Does(() => run.Run(name, BackupStep.Snapshot))
            .ContinueOnError();
    }
}

// After the last task: name the pairs that failed and make the run exit non-zero.
void FailIfAnyPairFailed(BackupRun run)
{
    var failed = run.FailedPairs.ToList();
    if (failed.Count > 0)
    {
        throw new CakeException(
            $"{failed.Count} pair(s) failed: " + string.Join("; ", failed.Select(pair => $"{pair.Pair.Name} at {pair.FailedStep}: {pair.FailureMessage}")));
    }
}
