// Target `list`: the inventory of every pair (or those named by --pair) as a table.
void RegisterListTarget(BackupRun run)
{
    var list = Task("list")
        .Description("Shows each pair's snapshots, backups, the next incremental's parent, and foreign or incomplete subvolumes. Changes nothing.");
    foreach (var pairRun in run.Pairs)
    {
        list.IsDependentOn($"Scan:{pairRun.Pair.Name}");
    }

    list.Does(() =>
    {
        foreach (var pairRun in run.Pairs.Where(pairRun => pairRun.Inventory is not null))
        {
            Information(BtrfsBackup.Reporting.InventoryReport.Format(pairRun.Inventory));
            Information("");
        }
    });
}
