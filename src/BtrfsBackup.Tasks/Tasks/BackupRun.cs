using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Logging;
using BtrfsBackup.Naming;
using BtrfsBackup.Watching;

namespace BtrfsBackup.Tasks;

/// <summary>
/// The pairs of one run and the dispatch of their steps. A host (Cake's engine) asks
/// <see cref="Decide"/> and <see cref="ShouldRun"/> before each step and calls <see cref="Run"/> for
/// its body. A dry run does its planning inside <see cref="ShouldRun"/>, because Cake's dry run
/// evaluates criteria but skips bodies; so the plan printed is the one a real run would execute.
/// </summary>
public sealed class BackupRun : IDisposable
{
    private readonly Dictionary<string, PairRun> pairs;
    private readonly IReadOnlyList<BackupPair> configuredPairs;
    private bool started;
    private bool locksTriedAhead;
    private bool disposed;

    /// <summary>
    /// A run over <paramref name="selectedPairs"/>, acting through <paramref name="environment"/> (this
    /// machine when null). <paramref name="configuredPairs"/> are every pair of the configuration (their
    /// paths are not nested subvolumes missing from a backup); the selected ones when null.
    /// </summary>
    internal BackupRun(IReadOnlyList<BackupPair> selectedPairs, BackupRunOptions options, ITaskLog log, RunEnvironment? environment = null, IReadOnlyList<BackupPair>? configuredPairs = null)
    {
        ArgumentNullException.ThrowIfNull(selectedPairs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Suffix is not null)
        {
            SnapshotSuffix.ThrowIfInvalid(options.Suffix);
        }

        Options = options;
        LastRuns = options.RunSettings.HistoryFile is { } history ? new HistoryLastRuns(history) : NoLastRuns.Instance;
        Log = log;
        Environment = environment ?? RunEnvironment.ThisMachine();
        Interruption = new Interruption(log);
        this.configuredPairs = configuredPairs ?? selectedPairs;
        pairs = selectedPairs.ToDictionary(pair => pair.Name, pair => new PairRun(pair), StringComparer.Ordinal);
        Pairs = selectedPairs.Select(pair => pairs[pair.Name]).ToList();
    }

    /// <summary>The options of the run: dry run, suffix and the others, from the settings or the command line.</summary>
    public BackupRunOptions Options { get; }

    internal ITaskLog Log { get; }

    internal RunEnvironment Environment { get; }

    internal Interruption Interruption { get; }

    /// <summary>The selected pairs, in the order of the configuration file.</summary>
    public IReadOnlyList<PairRun> Pairs { get; }

    /// <summary>The pairs that failed so far.</summary>
    public IEnumerable<PairRun> FailedPairs => Pairs.Where(pair => pair.HasFailed);

    /// <summary>Set when the run was told to stop (Ctrl-C, SIGTERM).</summary>
    public string? InterruptedBy => Interruption.By;

    /// <summary>A selected pair by name.</summary>
    /// <exception cref="KeyNotFoundException">The pair is not selected.</exception>
    public PairRun this[string pairName] => pairs[pairName];

    /// <summary>Where <c>status</c> reads each pair's last run: the run history of the configuration's <c>[run]</c>, when it keeps one.</summary>
    internal ILastRunSource LastRuns { get; set; }

    /// <summary>Where JSON reports go: standard output, whatever the log's verbosity.</summary>
    internal TextWriter Output { get; set; } = Console.Out;

    /// <summary>
    /// A scanned pair's freshness at its own "now": after a real run as the run left it (a backup just
    /// sent counts), after a dry run as scanned (nothing was changed). Null when the pair was not scanned.
    /// </summary>
    internal PairFreshness? FreshnessOf(PairRun pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var inventory = Options.DryRun ? pair.ScannedInventory : pair.Inventory;
        return inventory is null ? null : PairFreshness.Of(inventory, pair.Now ?? Environment.Clock.GetUtcNow());
    }

    /// <summary>The pairs whose newest backup is older than their <c>alert_after_days</c>.</summary>
    internal IReadOnlyList<PairFreshness> StalePairs() =>
        Pairs.Select(FreshnessOf).OfType<PairFreshness>().Where(freshness => freshness.IsStale).ToList();

    /// <summary>Releases the pairs' locks and ends the run's ssh connections (waiting for each to close); once.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        // Newest first: a pair's remote lock goes before the local one taken ahead of it, so a run that
        // waits for the local lock never then finds the remote one still held. The interruption's token
        // is not disposed: a signal may still arrive, and the handle that cancels it outlives the run.
        foreach (var held in Pairs.SelectMany(pair => pair.Locks).Reverse())
        {
            EndQuietly(held.Dispose, "release a lock");
        }

        EndQuietly(() => Environment.Remote?.Dispose(), "close the ssh connections");
    }

    // What ends a run must not hide its verdict, nor stop the rest of the clean-up.
    private void EndQuietly(Action end, string what)
    {
        try
        {
            end();
        }
        catch (Exception e) when (e is BackupException or IOException or InvalidOperationException)
        {
            Log.Warning($"could not {what} at the end of the run: {e.Message}");
        }
    }

    /// <summary>Whether a step runs, decided once, when first asked, from the pair's state at that moment.</summary>
    internal StepDecision Decide(string pairName, BackupStep step)
    {
        var pair = this[pairName];
        if (!pair.Decisions.TryGetValue(step, out var decision))
        {
            decision = MakeDecision(pair, step);
            pair.Decisions[step] = decision;
            if (decision.Skip is { } kind)
            {
                pair.Skipped.Add($"{step}: {decision.Detail}");
                var message = $"Skipping {step}:{pairName}: {decision.Detail}.";
                if (kind == SkipKind.TargetUnreachable)
                {
                    Log.Warning(message);
                }
                else
                {
                    Log.Information(message);
                }
            }
        }

        return decision;
    }

    /// <summary>The last criterion of a step: true when it runs. In a dry run, plans (and prints) the step here.</summary>
    internal bool ShouldRun(string pairName, BackupStep step)
    {
        if (!Decide(pairName, step).Runs)
        {
            return false;
        }

        if (!Options.DryRun)
        {
            return true;
        }

        // Cake prints the task's name after its criteria: say here which task the plan lines belong to.
        if (step != BackupStep.Scan)
        {
            Log.Information($"Plan for {step}:{pairName}:");
        }

        return Execute(this[pairName], step);
    }

    /// <summary>Runs a step; on failure the pair is marked failed, the cause logged, and an exception thrown for the host.</summary>
    /// <exception cref="BackupException">The step failed; the message is its cause.</exception>
    internal void Run(string pairName, BackupStep step)
    {
        // A dry run did its work (the plan) in ShouldRun; Cake skips bodies then, and so must any host.
        if (Options.DryRun)
        {
            return;
        }

        var pair = this[pairName];
        if (!Execute(pair, step))
        {
            throw new BackupException(pair.FailureCause!);
        }
    }

    private StepDecision MakeDecision(PairRun pair, BackupStep step)
    {
        if (InterruptedBy is not null)
        {
            return StepDecision.SkipBecause(SkipKind.Interrupted, $"the run was interrupted by {InterruptedBy}");
        }

        if (pair.HasFailed)
        {
            return StepDecision.SkipBecause(SkipKind.PairFailed, $"the pair failed at {pair.FailedStep}");
        }

        if (step is BackupStep.Scan or BackupStep.Restore)
        {
            return StepDecision.Go;
        }

        // The scan did not run (a recipe without Scan:PAIR, or --exclusive): scan now, it changes nothing.
        if (pair.Inventory is null && !Execute(pair, BackupStep.Scan))
        {
            return StepDecision.SkipBecause(SkipKind.PairFailed, $"the pair failed at {pair.FailedStep}");
        }

        return StepDecisions.For(step, pair, Options, Environment.Clock.LocalTimeZone, Log.Warning);
    }

    private bool Execute(PairRun pair, BackupStep step)
    {
        var outcome = StepExecution.Run(this, pair, step, EnsureStarted);
        pair.Ended = Environment.Clock.GetUtcNow();
        if (outcome.Succeeded)
        {
            return true;
        }

        pair.Fail(step, outcome.FailureCause!);
        Log.Error(pair.FailureCause!);
        return false;
    }

    /// <summary>
    /// Starts opening the ssh connection to every machine the selected pairs reach, without waiting: the
    /// handshakes overlap what the run does before it first needs them. A failure is reported by the
    /// first step that uses the connection, as without this.
    /// </summary>
    internal void ConnectAhead()
    {
        var accesses = Pairs.SelectMany(pair => new[] { pair.Pair.SourceAccess, pair.Pair.TargetAccess }).OfType<SshAccess>().Distinct();
        foreach (var access in Environment.Remote is null ? [] : accesses)
        {
            ((Remote.SshBtrfsHost)Environment.HostFor(access)).Connection.OpenAhead();
        }
    }

    // Once per run, before its first step: what a run killed outright left behind is swept up.
    private void EnsureStarted()
    {
        if (started)
        {
            return;
        }

        started = true;
        foreach (var abandoned in Environment.Runtime?.RemoveAbandonedTransferFolders() ?? [])
        {
            Log.Verbose($"removed {abandoned}, left by a run that was killed");
        }
    }

    internal IReadOnlyList<BackupPair> ConfiguredPairs => configuredPairs;

    /// <summary>True the first time only: the free locks of every pair are taken ahead once per run.</summary>
    internal bool TryLocksAhead()
    {
        if (locksTriedAhead)
        {
            return false;
        }

        locksTriedAhead = true;
        return true;
    }
}
