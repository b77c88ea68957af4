using BtrfsBackup.Logging;
using BtrfsBackup.Scanning;
using BtrfsBackup.Verification;

namespace BtrfsBackup.Tasks;

/// <summary>
/// Compares a pair's newest backup (or every backup) with the snapshot it was received from:
/// metadata (read-only, Received UUID), then with <see cref="VerifyMode.Content"/> the whole tree and
/// every file's data, both sides read at once. Differences are reported, not failures; what
/// send/receive does not carry is reported apart. Reads only, so it changes nothing, dry run or not.
/// </summary>
internal sealed class VerifyTask : BackupTask
{
    public required PairInventory Inventory { get; set; }

    public VerifyMode Mode { get; set; } = VerifyMode.Content;

    /// <summary>Every backup on the target, not only the newest.</summary>
    public bool AllBackups { get; set; }

    /// <summary>Output: what was found; null in a dry run.</summary>
    public PairVerification? Result { get; private set; }

    protected override async Task ExecuteAsync()
    {
        var pair = Inventory.Pair;
        if (Mode == VerifyMode.Content && (pair.SourceAccess is not null || pair.TargetAccess is not null))
        {
            throw new BackupException("content verify of a remote side is not supported yet; use --verify=metadata");
        }

        var candidates = VerifyCandidates.For(Inventory, AllBackups, Environment.Clock.LocalTimeZone);
        var snapshots = Inventory.SnapshotDir.Snapshots.ToDictionary(snapshot => snapshot.Uuid);
        var results = new List<BackupVerification>();
        foreach (var (backup, sentFrom) in candidates)
        {
            Cancellation.ThrowIfCancellationRequested();
            var source = sentFrom is { } uuid ? snapshots.GetValueOrDefault(uuid) : null;
            if (DryRun)
            {
                Log.Information($"[dry run] would compare backup {pair.TargetLocation}/{backup.Name} with {(source is null ? "its source snapshot (gone)" : $"snapshot {source.Path}")} ({Mode.ToString().ToLowerInvariant()})");
                continue;
            }

            var verification = new BackupVerification(backup, source);
            VerifyCandidates.CheckMetadata(backup.Subvolume, sentFrom, verification.Differences);
            if (Mode == VerifyMode.Content && source is not null)
            {
                await CompareContentAsync(source, backup, verification);
            }

            results.Add(verification);
            Report(verification);
        }

        Result = DryRun ? null : new PairVerification(pair.Name, Mode, results);
    }

    private async Task CompareContentAsync(Snapshot source, Snapshot backup, BackupVerification verification)
    {
        // Each side on its own thread: the two trees are read at the same time, as two disks allow.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sourceTree = Task.Run(() => Timed(() => TreeWalker.Read(source.Path, withContent: true, Cancellation), source.Path), Cancellation);
        var backupTree = Task.Run(() => Timed(() => TreeWalker.Read(backup.Path, withContent: true, Cancellation), backup.Path), Cancellation);
        await Task.WhenAll(sourceTree, backupTree);
        Log.Verbose($"both trees read in {started.Elapsed.TotalSeconds:F2} s");
        TreeComparer.Compare(sourceTree.Result, backupTree.Result, verification.Differences, verification.NotCarried);
        verification.ContentCompared = true;
        verification.Compared = (sourceTree.Result.Entries.Count, sourceTree.Result.Entries.Values.Sum(entry => entry.Checksum is null ? 0 : entry.Size));
    }

    private Tree Timed(Func<Tree> read, string path)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var tree = read();
        Log.Verbose($"read {path}: {tree.Entries.Count} entries in {started.Elapsed.TotalSeconds:F2} s");
        return tree;
    }

    private void Report(BackupVerification verification)
    {
        var pair = Inventory.Pair;
        var backup = $"backup {pair.TargetLocation}/{verification.Backup.Name}";
        if (verification.Differs)
        {
            var lines = verification.Differences.First.Select(line => $"{System.Environment.NewLine}    {line}");
            var more = verification.Differences.Count > verification.Differences.First.Count
                ? $"{System.Environment.NewLine}    ... and {verification.Differences.Count - verification.Differences.First.Count} more"
                : string.Empty;
            Log.Warning($"verify {pair.Name}: {backup} DIFFERS from {Source(verification)}: {verification.Differences.Count} difference(s):{string.Concat(lines)}{more}");
        }
        else if (verification.SourceGone)
        {
            Log.Information($"verify {pair.Name}: {backup}: metadata is as received; source snapshot gone, content not compared.");
        }
        else
        {
            var what = verification.ContentCompared
                ? $"identical to {Source(verification)} ({verification.Compared.Entries} entries, {ByteSize.Format(verification.Compared.Bytes)} of file data compared)"
                : $"metadata matches {Source(verification)} (read-only, Received UUID); content not compared (--verify=metadata)";
            Log.Information($"verify {pair.Name}: {backup} is {what}.");
        }

        if (verification.NotCarried.Any)
        {
            var lines = verification.NotCarried.First.Select(line => $"{System.Environment.NewLine}    {line}");
            var more = verification.NotCarried.Count > verification.NotCarried.First.Count
                ? $"{System.Environment.NewLine}    ... and {verification.NotCarried.Count - verification.NotCarried.First.Count} more"
                : string.Empty;
            Log.Information($"verify {pair.Name}: not carried by send/receive (not a difference):{string.Concat(lines)}{more}");
        }
    }

    private static string Source(BackupVerification verification) =>
        verification.Source is null ? "its source snapshot (gone)" : $"snapshot {verification.Source.Path}";
}
