// Target `snapshot`: Scan then Snapshot for each pair named by --pair (or --all).
void RegisterSnapshotTarget(BackupRun run)
{
    var snapshot = Task("snapshot")
        .Description("Takes a read-only snapshot of each selected pair's source (--pair=NAME or --all, optional --suffix=TEXT).");
    foreach (var pairRun in run.Pairs)
    {
        snapshot.IsDependentOn($"Snapshot:{pairRun.Pair.Name}");
    }
}
