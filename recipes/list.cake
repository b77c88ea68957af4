// Target `list`: the inventory of every pair (or those named by --pair) as a table.
void RegisterListTarget(BackupRun run) =>
    RegisterTargetOverPairs(run, "list",
        "Shows each pair's snapshots, backups, the next incremental's parent, and foreign or incomplete subvolumes. Changes nothing.",
        "Scan")
    .Does(() =>
    {
        foreach (var pairRun in run.Pairs.Where(pairRun => pairRun.Inventory is not null))
        {
            Information(BtrfsBackup.Reporting.InventoryReport.Format(pairRun.Inventory, pairRun.Now ?? run.Environment.Clock.GetUtcNow()));
            Information("");
        }
    });
