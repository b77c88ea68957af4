// Loads the BtrfsBackup library and registers each selected pair's tasks:
//   Scan:PAIR      reads what is on disk (changes nothing)
//   Snapshot:PAIR  read-only snapshot of the source              (after Scan:PAIR)
//   Send:PAIR      btrfs send | btrfs receive of new snapshots   (after Scan:PAIR)
//   Purge:PAIR     retention on the source and the target        (after Scan:PAIR)
// The logic lives in the library; RunsBackupStep adds the criteria (each skip reason, and the
// dry-run plan), the body, and ContinueOnError so one failed pair does not stop the others.
#r "../src/BtrfsBackup.Tasks/bin/Release/net10.0/BtrfsBackup.Tasks.dll"

void RegisterPairTasks(BackupRun run)
{
    foreach (var pairRun in run.Pairs)
    {
        var pair = pairRun.Pair;
        var name = pair.Name;

        Task($"Scan:{name}")
            .Description($"Reads pair '{name}': source {pair.Source}, snapshots in {pair.SnapshotDir}, backups in {pair.Target ?? "(no target)"}. Changes nothing.")
            .RunsBackupStep(run, name, BackupStep.Scan);

        Task($"Snapshot:{name}")
            .Description($"Takes a read-only snapshot of {pair.Source} into {pair.SnapshotDir}, named by the local time (and --suffix).")
            .IsDependentOn($"Scan:{name}")
            .RunsBackupStep(run, name, BackupStep.Snapshot);

        Task($"Send:{name}")
            .Description(pair.Target is null
                ? $"Pair '{name}' has no target: skipped."
                : $"Sends new snapshots of '{name}' to {pair.Target} (btrfs send | btrfs receive), incrementally from the newest backed-up one.")
            .IsDependentOn($"Scan:{name}")
            .RunsBackupStep(run, name, BackupStep.Send);

        Task($"Purge:{name}")
            .Description($"Deletes snapshots of '{name}' that retention lets go (source: {pair.SourceRetention?.ToString() ?? "never purged"}; target: {pair.TargetRetention?.ToString() ?? "never purged"}), never the next incremental's parent.")
            .IsDependentOn($"Scan:{name}")
            .RunsBackupStep(run, name, BackupStep.Purge);
    }
}

// A target that runs the given steps for every selected pair: pair by pair in the order of the
// config file, and within a pair in the order given (so Purge:PAIR comes after Send:PAIR).
CakeTaskBuilder RegisterTargetOverPairs(BackupRun run, string target, string description, params string[] steps)
{
    var task = Task(target).Description(description);
    foreach (var pairRun in run.Pairs)
    {
        foreach (var step in steps)
        {
            task.IsDependentOn($"{step}:{pairRun.Pair.Name}");
        }
    }

    return task;
}
