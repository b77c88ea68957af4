namespace BtrfsBackup.Watching;

/// <summary>A pair's last recorded run: when it started and ended, and how it went ("succeeded", "failed", ...).</summary>
internal sealed record LastRun(DateTimeOffset Started, DateTimeOffset Ended, string Outcome);
