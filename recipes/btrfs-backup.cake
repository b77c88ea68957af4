// Loads the BtrfsBackup library and registers the selected pairs' tasks:
//   Scan:PAIR      reads what is on disk (changes nothing)
//   Snapshot:PAIR  read-only snapshot of the source              (after Scan:PAIR)
//   Send:PAIR      btrfs send | btrfs receive of new snapshots   (after Scan:PAIR)
//   Purge:PAIR     retention on the source and the target        (after Scan:PAIR)
//   Verify:PAIR    backup compared with its source snapshot      (after Scan:PAIR; reads only)
// The tasks are registered by the library (BackupTasks), the same registration the btrfsbackup
// program uses; this file only hands it the script's Task method.
// The library's build writes BtrfsBackup.Tasks.cake beside the library: it references it (#r) and
// defines BTRFSBACKUP_LIBRARY_BUILT. In a fresh clone it is not there yet, hence the #error.
#load "../src/BtrfsBackup.Tasks/bin/Release/net10.0/BtrfsBackup.Tasks.cake"
#if !BTRFSBACKUP_LIBRARY_BUILT
#error The BtrfsBackup library is not built: run ./build.sh first (or dotnet build -c Release), then this command again.
#endif

using BtrfsBackup.Hosting;

void RegisterPairTasks(BackupRun run) => BackupTasks.RegisterPairTasks(run, Task);

// A target that runs the given steps ("Snapshot", "Send", "Purge", "Scan") for every selected pair:
// every pair's scan first, then pair by pair in the order of the config file, and within a pair in
// the order given.
CakeTaskBuilder RegisterTargetOverPairs(BackupRun run, string target, string description, params string[] steps) =>
    BackupTasks.RegisterTargetOverPairs(run, Task, target, steps.Select(step => Enum.Parse<BackupStep>(step)).ToArray())
        .Description(description);
