global using NUnit.Framework;

// Fixtures run side by side: each works only on its own sandbox, processes and runtime directory,
// and none depends on timing; most of a real-btrfs test is waiting on processes and disks.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
