// Loads the BtrfsBackup library and registers the selected pairs' tasks:
//   Scan:PAIR      reads what is on disk (changes nothing)
//   Snapshot:PAIR  read-only snapshot of the source              (after Scan:PAIR)
//   Send:PAIR      btrfs send | btrfs receive of new snapshots   (after Scan:PAIR)
//   Purge:PAIR     retention on the source and the target        (after Scan:PAIR)
//   Verify:PAIR    backup compared with its source snapshot      (after Scan:PAIR; reads only)
// The tasks are registered by the library (BackupTasks), the same registration the btrfsbackup
// program uses; this file only hands it the script's Task method.
#r "../src/BtrfsBackup.Tasks/bin/Release/net10.0/BtrfsBackup.Tasks.dll"

using BtrfsBackup.Hosting;

void RegisterPairTasks(BackupRun run) => BackupTasks.RegisterPairTasks(run, Task);

// A target that runs the given steps ("Snapshot", "Send", "Purge", "Scan") for every selected pair:
// pair by pair in the order of the config file, and within a pair in the order given.
CakeTaskBuilder RegisterTargetOverPairs(BackupRun run, string target, string description, params string[] steps) =>
    BackupTasks.RegisterTargetOverPairs(run, Task, target, steps.Select(step => Enum.Parse<BackupStep>(step)).ToArray())
        .Description(description);
