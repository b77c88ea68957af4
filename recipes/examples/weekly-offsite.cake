// Example of a custom recipe: once a week, when the off-site disk is plugged in, send the home
// pair's new snapshots to it and apply retention, without taking a snapshot (the nightly job does).
//   dotnet cake recipes/examples/weekly-offsite.cake         (add --dryrun to see the plan)
// Cake runs a script in its own folder, so relative paths here start from recipes/examples/.
#load "../btrfs-backup.cake"

var run = BtrfsBackupRun(new BtrfsRunSettings
{
    ConfigPath = Argument("config", "../../backup_config.toml"),
    Pairs = new[] { Argument("pair", "home") },
});
var signals = BtrfsStopOnSignals(run);
RegisterPairTasks(run);

var pair = run.Pairs[0].Pair.Name;
Task("weekly")
    .Description("Sends the pair's new snapshots to its target, then purges old ones on both sides.")
    .IsDependentOn($"Send:{pair}")
    .IsDependentOn($"Purge:{pair}");

var report = RunTarget(Argument("target", "weekly"));
if (report != null)
{
    BtrfsCompleteRun(run);
}
