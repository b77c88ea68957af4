// Target `snapshot`: Scan then Snapshot for each pair named by --pair (or --all).
void RegisterSnapshotTarget(BackupRun run) =>
    RegisterTargetOverPairs(run, "snapshot",
        "Takes a read-only snapshot of each selected pair's source (--pair=NAME or --all, optional --suffix=TEXT).",
        "Snapshot");
