// Example of a custom recipe: before a system upgrade, snapshot the root pair only, with the
// suffix "pre-upgrade" (e.g. 2026-11-26T09:12:44-pre-upgrade). Nothing is sent or purged.
//   dotnet cake recipes/examples/pre-upgrade.cake            (add --dryrun to see the command)
// Cake runs a script in its own folder, so relative paths here start from recipes/examples/.
#load "../btrfs-backup.cake"

var run = BtrfsBackupRun(new BtrfsRunSettings
{
    ConfigPath = Argument("config", "../../backup_config.toml"),
    Pairs = new[] { Argument("pair", "root") },
    Suffix = "pre-upgrade",
});
var signals = BtrfsStopOnSignals(run);
RegisterPairTasks(run);

Task("pre-upgrade")
    .Description("Read-only snapshot of the root pair, named ...-pre-upgrade, to return to if the upgrade goes wrong.")
    .IsDependentOn($"Snapshot:{run.Pairs[0].Pair.Name}");

var report = RunTarget(Argument("target", "pre-upgrade"));
if (report != null)
{
    BtrfsCompleteRun(run);
}
