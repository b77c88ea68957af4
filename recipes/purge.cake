// Target `purge`: Scan then Purge for each pair named by --pair (or --all).
void RegisterPurgeTarget(BackupRun run) =>
    RegisterTargetOverPairs(run, "purge",
        "Deletes old snapshots on each selected pair's source and target per its retention (--pair=NAME or --all).",
        "Purge");
