// Entry point for `dotnet cake`: the backup targets over the pairs of backup_config.toml.
//   dotnet cake --target=nightly                     the nightly job, every pair
//   dotnet cake --target=snapshot --pair=home --suffix=pre-upgrade
//   dotnet cake --target=backup --all
//   dotnet cake --target=list
// Add --dryrun to see every btrfs command and why, changing nothing. See README.md. The same
// targets, from the same registration in the library, are the btrfsbackup program's verbs.
#load "recipes/btrfs-backup.cake"

var target = Argument("target", "nightly");
// Cake matches target names in any case, so must we: `--target=Purge` needs --pair or --all too.
var run = BtrfsBackupRun(new BtrfsRunSettings
{
    RequirePairSelection = BackupTasks.TargetsNeedingPairs.Contains(target, StringComparer.OrdinalIgnoreCase),
});

// Ctrl-C and SIGTERM stop the run cleanly: the transfer under way is stopped and its partial backup removed.
var signals = BtrfsStopOnSignals(run);
BackupTasks.RegisterAll(run, Task);

// RunTarget returns no report for --tree and --description; only a real or dry run has a verdict.
var report = RunTarget(target);
if (report != null)
{
    BtrfsCompleteRun(run);
}
