// Target `backup`: Scan then Send for each pair named by --pair (or --all). Takes no new snapshot.
void RegisterBackupTarget(BackupRun run) =>
    RegisterTargetOverPairs(run, "backup",
        "Sends each selected pair's new snapshots to its target (--pair=NAME or --all).",
        "Send");
