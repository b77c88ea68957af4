// Target `nightly`: the whole job for every pair (or those named by --pair): Scan, Snapshot, Send,
// Purge. A pair that fails stops at its failing step (its purge does not run); the others go on.
void RegisterNightlyTarget(BackupRun run) =>
    RegisterTargetOverPairs(run, "nightly",
        "The nightly job: for each pair, snapshot the source, send new snapshots to the target, purge old ones on both sides.",
        "Snapshot", "Send", "Purge");
