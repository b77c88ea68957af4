using System.Diagnostics;
using System.Globalization;
using System.Text;
using BtrfsBackup.Configuration;
using BtrfsBackup.Naming;
using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Planning;

/// <summary>
/// The retention invariants over many generated histories. Each history comes from its own seed
/// (base seed + case number), so a failure names the one seed that replays it:
/// <c>RETENTION_PROPERTY_SEED=SEED RETENTION_PROPERTY_CASES=1 dotnet test --filter RetentionPropertyTests</c>.
/// </summary>
[TestFixture]
public sealed class RetentionPropertyTests
{
    private const int DefaultBaseSeed = 20261126;
    private const int DefaultCases = 20_000;
    private static readonly string[] Suffixes = ["pre-upgrade", "manual", "before-kernel-6.18", "x", "a_b.c", "2nd"];
    private static readonly string[] ForeignSnapshotDirNames = ["home.old", "tmp", "2026-13-45T00:00:00", "2026-11-26T03:00:00-", "2026-11-26T03:00:00 copy", "@home"];
    private static readonly string[] ForeignTargetNames = ["manual-copy", "lost", "2026-11-26", "2026-11-26T03:00:00-a b", "2026-11-26T03:00:00-.hidden"];

    [Test]
    public void Retention_invariants_hold_over_generated_histories()
    {
        var baseSeed = EnvironmentInt("RETENTION_PROPERTY_SEED") ?? DefaultBaseSeed;
        var cases = EnvironmentInt("RETENTION_PROPERTY_CASES") ?? DefaultCases;
        var coverage = new Coverage();
        var stopwatch = Stopwatch.StartNew();
        TestContext.Out.WriteLine($"base seed {baseSeed}, {cases} histories");

        for (var number = 0; number < cases; number++)
        {
            var seed = unchecked(baseSeed + number);
            History? history = null;
            PurgePlan plan;
            try
            {
                history = History.Generate(seed);
                plan = RetentionPlanner.Plan(history.Inventory, history.Now);
            }
            catch (Exception exception) when (exception is not AssertionException)
            {
                Assert.Fail($"{Replay(seed)}\n{(history is null ? "generating the history" : "the planner")} threw {exception}\n{history?.Describe()}");
                return;
            }

            var violations = Violations(history, plan);
            if (violations.Count > 0)
            {
                Assert.Fail($"{Replay(seed)}\n{string.Join('\n', violations.Select(violation => "  - " + violation))}\n{history.Describe()}plan:\n{plan.Format()}");
            }

            coverage.Count(history, plan);
        }

        TestContext.Out.WriteLine($"{cases} histories in {stopwatch.Elapsed.TotalSeconds:F2} s; {coverage}");
        if (cases >= 10_000)
        {
            coverage.AssertVaried(cases);
        }
    }

    [Test]
    public void The_invariant_checks_catch_broken_plans()
    {
        // Histories whose plans delete something on the source and keep more than the newest there.
        var histories = Enumerable.Range(DefaultBaseSeed, 2_000)
            .Select(History.Generate)
            .Select(history => (history, plan: RetentionPlanner.Plan(history.Inventory, history.Now)))
            .Where(entry => entry.plan.Source.Deletions.Any() && entry.plan.Source.Decisions.Count(decision => !decision.Delete) > 1)
            .Take(50)
            .ToList();
        Assert.That(histories, Has.Count.EqualTo(50));

        foreach (var (history, plan) in histories)
        {
            Assert.That(Violations(history, plan), Is.Empty, history.Describe);
            var decisions = plan.Source.Decisions;
            var deletesNewest = Replace(decisions, decisions.Count - 1, decisions[^1] with { Delete = true });
            var keepsTooMuch = Replace(decisions, IndexOf(decisions, decision => decision.Delete), null);
            var dropsOne = decisions.Skip(1).ToList();
            var newestFirst = decisions.Reverse().ToList();
            var keptIndex = IndexOf(decisions.Take(decisions.Count - 1).ToList(), decision => !decision.Delete);
            var deletesAKeeper = Replace(decisions, keptIndex, decisions[keptIndex] with { Delete = true });
            var noReason = Replace(decisions, 0, decisions[0] with { Reason = " " });

            foreach (var broken in new[] { deletesNewest, keepsTooMuch, dropsOne, newestFirst, deletesAKeeper, noReason })
            {
                var brokenPlan = plan with { Source = plan.Source with { Decisions = broken } };
                Assert.That(Violations(history, brokenPlan), Is.Not.Empty, $"a broken plan passed the checks:\n{brokenPlan.Format()}");
            }
        }

        static int IndexOf(IReadOnlyList<RetentionDecision> decisions, Func<RetentionDecision, bool> predicate) =>
            decisions.Select((decision, index) => (decision, index)).First(entry => predicate(entry.decision)).index;

        static List<RetentionDecision> Replace(IReadOnlyList<RetentionDecision> decisions, int index, RetentionDecision? replacement)
        {
            var copy = decisions.ToList();
            copy[index] = replacement ?? copy[index] with { Delete = false, Reason = "kept for no reason the contract gives" };
            return copy;
        }
    }

    private static string Replay(int seed) =>
        $"retention invariant broken for seed {seed}; replay it with RETENTION_PROPERTY_SEED={seed} RETENTION_PROPERTY_CASES=1";

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static List<string> Violations(History history, PurgePlan plan)
    {
        var violations = new List<string>();
        var inventory = history.Inventory;
        var now = history.Now;
        var source = inventory.SnapshotDir.Snapshots;
        var target = inventory.Target?.Snapshots;

        // Every snapshot exactly once, oldest first; every reason non-empty.
        CheckCoverage("source", plan.Source, source, violations);
        if (inventory.IsTargetReachable)
        {
            CheckCoverage("target", plan.Target, target!, violations);
        }
        else
        {
            Check(plan.Target.Decisions.Count == 0, "target: an unreachable target has decisions", violations);
            Check(plan.Target.SkipReason == inventory.TargetStatusReason, $"target: skip reason '{plan.Target.SkipReason}', expected '{inventory.TargetStatusReason}'", violations);
        }

        // Nothing foreign, writable or incomplete is decided on, let alone deleted.
        var untouchable = inventory.SnapshotDir.Foreign.Concat(inventory.Target?.Foreign ?? []).Select(foreign => foreign.Path)
            .Concat((inventory.Target?.Incomplete ?? []).Concat(inventory.Target?.Writable ?? []).Select(subvolume => subvolume.Path))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var decision in plan.Source.Decisions.Concat(plan.Target.Decisions).Where(decision => untouchable.Contains(decision.Snapshot.Path)))
        {
            violations.Add($"{decision.Snapshot.Path} is foreign or incomplete but has a decision: {decision}");
        }

        foreach (var step in plan.Steps.Where(step => untouchable.Contains(step.Command.Arguments[^1])))
        {
            violations.Add($"a step touches a foreign or incomplete subvolume: {step}");
        }

        // The newest at each location is kept.
        CheckKept(plan.Source, inventory.SnapshotDir.Newest, "the newest source snapshot", violations);
        if (inventory.IsTargetReachable)
        {
            CheckKept(plan.Target, inventory.Target!.Newest, "the newest backup", violations);
        }

        // The next incremental's parent is kept on the source, and its backup on the target; while the
        // target is away, the parent is the newest snapshot known to have been sent.
        var hasTarget = inventory.TargetStatus != Status.NotConfigured;
        var away = !inventory.IsTargetReachable && hasTarget;
        Snapshot? parent = null;
        if (inventory.IsTargetReachable)
        {
            var backups = new BackupIndex(inventory.Target);
            parent = backups.NewestBackedUp(source);
            if (parent is not null)
            {
                CheckKept(plan.Source, parent, "the next incremental's parent", violations);
                CheckKept(plan.Target, backups.BackupOf(parent), "the parent's backup", violations);
            }
        }
        else if (away)
        {
            parent = source.LastOrDefault(inventory.HasBeenSent);
        }

        // A source snapshot that has not reached the target is never deleted; with nothing known of what was sent, nothing is.
        foreach (var deleted in plan.Source.Deletions.Where(decision => hasTarget && !inventory.HasBeenSent(decision.Snapshot)))
        {
            violations.Add($"{deleted.Snapshot} has not reached the target but is deleted");
        }

        if (away)
        {
            var warned = plan.Warnings.Any(warning => warning.Contains("no record says which snapshots were sent", StringComparison.Ordinal));
            Check(warned == (inventory.SentSnapshots is null && source.Count > 0), $"target away: warning about nothing known is {(warned ? "there" : "missing")}", violations);
        }

        // Nothing inside either limit is deleted, and (the other way round) nothing else is kept.
        var expectedSourceProtection = new Func<Snapshot, bool>(snapshot => snapshot == parent || (hasTarget && !inventory.HasBeenSent(snapshot)));
        CheckLimits("source", plan.Source, source, inventory.Pair.SourceRetention, now, expectedSourceProtection, violations);
        if (inventory.IsTargetReachable)
        {
            var parentBackup = parent is null ? null : new BackupIndex(inventory.Target).BackupOf(parent);
            CheckLimits("target", plan.Target, target!, inventory.Pair.TargetRetention, now, backup => backup == parentBackup, violations);
        }

        // Every snapshot dated in the future is warned about.
        var future = source.Concat(target ?? []).Where(snapshot => snapshot.Name.Instant > now).ToList();
        foreach (var snapshot in future.Where(snapshot => !plan.Warnings.Any(warning => warning.StartsWith(snapshot.Path + " is dated in the future", StringComparison.Ordinal))))
        {
            violations.Add($"{snapshot.Path} is dated after {now:s} but there is no warning");
        }

        Check(plan.Warnings.Count(warning => warning.Contains("dated in the future", StringComparison.Ordinal)) == future.Count, "future warnings for snapshots that are not in the future", violations);
        return violations;
    }

    private static void CheckCoverage(string side, LocationPurgePlan location, IReadOnlyList<Snapshot> snapshots, List<string> violations)
    {
        Check(location.Side == side, $"{side}: side is '{location.Side}'", violations);
        var decided = location.Decisions.Select(decision => decision.Snapshot).ToList();
        Check(decided.SequenceEqual(snapshots), $"{side}: decisions [{string.Join(", ", decided)}] are not the snapshots [{string.Join(", ", snapshots)}] once each", violations);
        for (var index = 1; index < decided.Count; index++)
        {
            Check(decided[index - 1].IsOlderThan(decided[index]), $"{side}: {decided[index - 1]} is listed before {decided[index]}", violations);
        }

        foreach (var decision in location.Decisions.Where(decision => string.IsNullOrWhiteSpace(decision.Reason)))
        {
            violations.Add($"{side}: {decision.Snapshot} has no reason");
        }
    }

    private static void CheckKept(LocationPurgePlan location, Snapshot? snapshot, string what, List<string> violations)
    {
        if (snapshot is null)
        {
            return;
        }

        var decision = location.Decisions.FirstOrDefault(decision => decision.Snapshot == snapshot);
        if (decision is null || decision.Delete)
        {
            violations.Add($"{location.Side}: {what} {snapshot} is {(decision is null ? "missing from the decisions" : "deleted")}");
        }
    }

    private static void CheckLimits(
        string side,
        LocationPurgePlan location,
        IReadOnlyList<Snapshot> snapshots,
        RetentionPolicy? policy,
        DateTimeOffset now,
        Func<Snapshot, bool> isProtected,
        List<string> violations)
    {
        if (policy is null)
        {
            Check(location.Decisions.All(decision => !decision.Delete && decision.Reason == "no retention configured"), $"{side}: without retention something is deleted or has another reason", violations);
            Check(location.SkipReason == "no retention configured", $"{side}: without retention the skip reason is '{location.SkipReason}'", violations);
            return;
        }

        Check(location.SkipReason is null, $"{side}: with retention the skip reason is '{location.SkipReason}'", violations);
        var rankFromNewest = snapshots.Select((snapshot, index) => (snapshot, rank: snapshots.Count - index)).ToDictionary(entry => entry.snapshot, entry => entry.rank);
        foreach (var decision in location.Decisions)
        {
            var rank = rankFromNewest.GetValueOrDefault(decision.Snapshot);
            var amongNewest = rank <= policy.KeepCount;
            var younger = (now - decision.Snapshot.Name.Instant).Ticks < policy.KeepDays * TimeSpan.TicksPerDay;
            var mustKeep = rank == 1 || amongNewest || younger || isProtected(decision.Snapshot);
            if (decision.Delete && mustKeep)
            {
                violations.Add($"{side}: {decision.Snapshot} is deleted ({decision.Reason}) but is {(amongNewest ? $"among the newest {policy.KeepCount}" : younger ? $"younger than {policy.KeepDays} days" : "protected")}");
            }
            else if (!decision.Delete && !mustKeep)
            {
                violations.Add($"{side}: {decision.Snapshot} is kept ({decision.Reason}) but is outside both limits and unprotected");
            }
            else if (decision.Delete && decision.Reason != DeletionReason(policy))
            {
                violations.Add($"{side}: {decision.Snapshot} is deleted with reason '{decision.Reason}', expected '{DeletionReason(policy)}'");
            }
        }
    }

    private static string DeletionReason(RetentionPolicy policy) => (policy.KeepDays, policy.KeepCount) switch
    {
        (0, 0) => "retention keeps only what is protected (keep_days = 0, keep_count = 0)",
        (1, 0) => "older than 1 day",
        (var days, 0) => $"older than {days} days",
        (0, var count) => $"not among the newest {count}",
        (1, var count) => $"older than 1 day and not among the newest {count}",
        (var days, var count) => $"older than {days} days and not among the newest {count}",
    };

    private static void Check(bool condition, string violation, List<string> violations)
    {
        if (!condition)
        {
            violations.Add(violation);
        }
    }

    /// <summary>One generated pair: an inventory as a scan would read it, and the time the purge runs.</summary>
    private sealed class History
    {
        private History(InventoryBuilder builder, PairInventory inventory, DateTimeOffset now, Traits traits)
        {
            Builder = builder;
            Inventory = inventory;
            Now = now;
            Traits = traits;
        }

        public InventoryBuilder Builder { get; }

        public PairInventory Inventory { get; }

        public DateTimeOffset Now { get; }

        public Traits Traits { get; }

        public static History Generate(int seed)
        {
            var random = new Random(seed);
            var traits = new Traits();
            var builder = new InventoryBuilder("home");

            // Every snapshot ever taken: nightly at 03:00 with gaps, plus some suffixed extras. Named the
            // old way (local time, no offset), or with an offset that jumps an hour now and then, as DST does.
            var taken = new SortedSet<SnapshotName>();
            var start = new DateTime(2025, 1, 1, 3, 0, 0).AddDays(random.Next(0, 600));
            var withOffsets = random.NextDouble() < 0.3;
            traits.Offsets = withOffsets;
            SnapshotName Name(DateTime local, string? suffix) => withOffsets
                ? SnapshotName.Create(new DateTimeOffset(local, TimeSpan.FromHours(local.DayOfYear % 180 < 90 ? 1 : 2)), suffix)
                : SnapshotName.TryParse(SnapshotNames.WithoutOffset(local, suffix), InventoryBuilder.Zone, out var legacy) ? legacy : throw new InvalidOperationException(local.ToString(CultureInfo.InvariantCulture));
            var nights = random.Next(0, 50);
            for (var night = 0; night < nights; night++)
            {
                if (random.NextDouble() < 0.04)
                {
                    night += random.Next(2, 15); // the machine was off for a while
                    continue;
                }

                if (random.NextDouble() >= 0.1)
                {
                    taken.Add(Name(start.AddDays(night), null));
                }

                if (random.NextDouble() < 0.12)
                {
                    traits.Suffixed = true;
                    taken.Add(Name(start.AddDays(night).AddSeconds(random.Next(0, 86_400)), Pick(random, Suffixes)));
                }
            }

            var names = taken.Select(name => name.ToString()).ToList();

            // Older snapshots have mostly been purged from the source already.
            var purgedBefore = random.NextDouble() < 0.5 ? random.Next(0, names.Count + 1) : 0;
            var onSource = names.Where((_, index) => index >= purgedBefore || random.NextDouble() < 0.2).ToList();
            builder.Snapshots([.. onSource]);
            var usedInSnapshotDir = new HashSet<string>(onSource, StringComparer.Ordinal);
            if (random.NextDouble() < 0.1)
            {
                var writable = Name(start.AddDays(random.Next(0, 60)).AddSeconds(random.Next(0, 86_400)), $"partial-{random.Next(1000)}").ToString();
                if (usedInSnapshotDir.Add(writable))
                {
                    builder.WritableSnapshot(writable);
                    traits.Incomplete = true;
                }
            }

            foreach (var foreign in ForeignSnapshotDirNames.Where(_ => random.NextDouble() < 0.05))
            {
                builder.ForeignInSnapshotDir(foreign);
                traits.Foreign = true;
            }

            // Backups: a prefix of the history, most of it received, some renamed; plus strays.
            var onTarget = new HashSet<string>(StringComparer.Ordinal);
            var backedUpUntil = names.Count == 0 || random.NextDouble() < 0.15 ? -1 : random.Next(0, names.Count);
            if (random.NextDouble() < 0.6 && names.Count > 0)
            {
                backedUpUntil = names.Count - 1; // up to date
            }

            var backedUp = new List<string>();
            for (var index = 0; index <= backedUpUntil; index++)
            {
                if (random.NextDouble() < 0.1)
                {
                    continue; // a backup that failed, or was deleted by hand
                }

                string? renamedTo = null;
                if (random.NextDouble() < 0.05)
                {
                    renamedTo = Name(start.AddDays(random.Next(-30, 80)).AddSeconds(random.Next(0, 86_400)), $"renamed-{index}").ToString();
                    traits.Renamed = true;
                }

                if (onTarget.Add(renamedTo ?? names[index]))
                {
                    builder.BackupOf(names[index], renamedTo);
                    backedUp.Add(names[index]);
                }
            }

            foreach (var index in Enumerable.Range(0, random.NextDouble() < 0.15 ? random.Next(1, 4) : 0))
            {
                // Another source's backup, often under one of our names.
                var name = names.Count > 0 && random.NextDouble() < 0.7
                    ? Pick(random, names)
                    : Name(start.AddDays(random.Next(-10, 60)), $"other-{index}").ToString();
                if (onTarget.Add(name))
                {
                    builder.BackupFromOtherSource(name);
                    traits.OtherSource = true;
                }
            }

            if (random.NextDouble() < 0.25)
            {
                // A receive that did not finish: usually the next one to send.
                var name = backedUpUntil + 1 < names.Count && random.NextDouble() < 0.7
                    ? names[backedUpUntil + 1]
                    : Name(start.AddDays(random.Next(0, 60)), "interrupted").ToString();
                if (onTarget.Add(name))
                {
                    var readOnly = random.NextDouble() < 0.3;
                    builder.IncompleteReceive(name, readOnly, withReceivedUuid: !readOnly && random.NextDouble() < 0.5);
                    traits.Incomplete = true;
                }
            }

            if (random.NextDouble() < 0.1)
            {
                // A backup made writable by hand (a restore), or the user's own subvolume under one of our names.
                var name = Name(start.AddDays(random.Next(0, 60)), "restored").ToString();
                if (onTarget.Add(name))
                {
                    builder.WritableOnTarget(name, withReceivedUuid: random.NextDouble() < 0.5);
                    traits.Writable = true;
                }
            }

            if (names.Count > 0 && random.NextDouble() < 0.2)
            {
                // The target's record remembers sends whose backups retention has removed since.
                foreach (var name in names.Where(name => !onTarget.Contains(name) && random.NextDouble() < 0.5))
                {
                    builder.SentBefore(name);
                    traits.Recorded = true;
                }
            }

            foreach (var foreign in ForeignTargetNames.Where(_ => random.NextDouble() < 0.05))
            {
                builder.ForeignOnTarget(foreign, names.Count > 0 && random.NextDouble() < 0.5 ? Pick(random, names) : null);
                traits.Foreign = true;
            }

            // Where the target stands, and what the last run that reached it recorded.
            var status = random.Next(10) switch
            {
                < 6 => Status.Reachable,
                6 => Status.NotConfigured,
                7 => Status.Missing,
                8 => Status.NotBtrfs,
                _ => Status.OnSourceFilesystem,
            };
            builder.TargetStatus(status);
            var newestBackedUpOnSource = onSource.LastOrDefault(backedUp.Contains);
            var recorded = random.Next(10) switch
            {
                < 5 => newestBackedUpOnSource,
                5 => names.Count > 0 ? Pick(random, names) : null, // maybe purged from the source since
                6 => onSource.Count > 0 ? Pick(random, onSource) : null,
                _ => null,
            };
            if (random.NextDouble() < 0.5)
            {
                // The snapshot_dir's record of what was sent: what was backed up, and a few more.
                builder.RecordedAsSent([.. onSource.Where(name => backedUp.Contains(name) || random.NextDouble() < 0.1)]);
            }
            else if (recorded is not null)
            {
                builder.LastKnownParent(recorded);
            }

            if (random.NextDouble() >= 0.15)
            {
                builder.SourceRetention(RandomDays(random), RandomCount(random));
            }

            if (random.NextDouble() >= 0.15)
            {
                builder.TargetRetention(RandomDays(random), RandomCount(random));
            }

            // When the purge runs: usually after the newest snapshot, sometimes (clock set back) before it.
            var newest = taken.Count > 0 ? taken.Max!.Instant : new DateTimeOffset(start, TimeSpan.Zero);
            var now = random.NextDouble() < 0.1
                ? newest.AddSeconds(-random.Next(1, 5 * 86_400))
                : newest.AddSeconds(random.NextDouble() < 0.1 ? 0 : random.Next(0, 90 * 86_400));
            traits.Status = status;
            return new History(builder, builder.Build(), now, traits);
        }

        public string Describe()
        {
            var text = new StringBuilder();
            var pair = Inventory.Pair;
            text.AppendLine(CultureInfo.InvariantCulture, $"now {Now:s}; target {Inventory.TargetStatus} ({Inventory.TargetStatusReason})");
            text.AppendLine(CultureInfo.InvariantCulture, $"source retention {pair.SourceRetention?.ToString() ?? "none"}; target retention {pair.TargetRetention?.ToString() ?? "none"}");
            var sent = Inventory.SnapshotDir.Snapshots.Where(Inventory.HasBeenSent);
            text.AppendLine(CultureInfo.InvariantCulture, $"known sent: {(Inventory.SentSnapshots is null ? "nothing known" : string.Join(", ", sent))}");
            text.AppendLine(CultureInfo.InvariantCulture, $"source: {string.Join(", ", Inventory.SnapshotDir.Snapshots)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"source foreign: {string.Join(", ", Inventory.SnapshotDir.Foreign.Select(foreign => foreign.Name))}");
            if (Inventory.Target is { } target)
            {
                var sourceNames = Inventory.SnapshotDir.Snapshots.ToDictionary(snapshot => snapshot.Uuid, snapshot => snapshot.ToString());
                text.AppendLine(CultureInfo.InvariantCulture, $"target: {string.Join(", ", target.Snapshots.Select(backup => $"{backup} (of {(backup.ReceivedUuid is { } uuid && sourceNames.TryGetValue(uuid, out var name) ? name : "a snapshot not on the source")})"))}");
                text.AppendLine(CultureInfo.InvariantCulture, $"target incomplete/writable/foreign: {string.Join(", ", target.Incomplete.Concat(target.Writable).Select(subvolume => subvolume.Name).Concat(target.Foreign.Select(foreign => foreign.Name)))}");
            }

            return text.ToString();
        }

        private static int RandomDays(Random random) => random.Next(6) switch
        {
            0 => 0,
            1 => 1,
            2 => 7,
            3 => 30,
            4 => 60,
            _ => random.Next(0, 400),
        };

        private static int RandomCount(Random random) => random.Next(6) switch
        {
            0 => 0,
            1 => 1,
            2 => 5,
            3 => 10,
            4 => 30,
            _ => random.Next(0, 60),
        };

        private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }

    /// <summary>What a generated history holds, so the run can show it explored what it claims to.</summary>
    private sealed class Traits
    {
        public bool Suffixed { get; set; }

        public bool Renamed { get; set; }

        public bool OtherSource { get; set; }

        public bool Incomplete { get; set; }

        public bool Foreign { get; set; }

        public bool Writable { get; set; }

        public bool Recorded { get; set; }

        public bool Offsets { get; set; }

        public Status Status { get; set; }
    }

    private sealed class Coverage
    {
        private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

        public void Count(History history, PurgePlan plan)
        {
            var inventory = history.Inventory;
            var traits = history.Traits;
            Add("suffixed", traits.Suffixed);
            Add("renamed", traits.Renamed);
            Add("other source", traits.OtherSource);
            Add("incomplete", traits.Incomplete);
            Add("foreign", traits.Foreign);
            Add("reachable", traits.Status == Status.Reachable);
            Add("away", traits.Status is Status.Missing or Status.NotBtrfs or Status.OnSourceFilesystem);
            Add("no target", traits.Status == Status.NotConfigured);
            Add("writable on target", traits.Writable);
            Add("recorded sends", traits.Recorded);
            Add("names with offsets", traits.Offsets);
            Add("away knowing what was sent", traits.Status is not Status.Reachable and not Status.NotConfigured && inventory.SentSnapshots is not null);
            Add("now before newest", inventory.SnapshotDir.Newest is { } newest && newest.Name.Instant > history.Now);
            Add("no source retention", inventory.Pair.SourceRetention is null);
            Add("both limits 0", inventory.Pair.SourceRetention is { KeepDays: 0, KeepCount: 0 });
            Add("source deletions", plan.Source.Deletions.Any());
            Add("target deletions", plan.Target.Deletions.Any());
            Add("parent protected beyond policy", plan.Source.Decisions.Any(decision => decision.Reason == "parent of the next incremental"));
            Add("parent backup protected beyond policy", plan.Target.Decisions.Any(decision => decision.Reason == "parent of the next incremental"));
            Add("kept while away", plan.Source.Decisions.Any(decision => decision.Reason.Contains("not yet backed up and target unreachable", StringComparison.Ordinal)));
            Add("kept as not yet backed up", plan.Source.Decisions.Any(decision => decision.Reason.Contains("not yet backed up", StringComparison.Ordinal) && inventory.IsTargetReachable));
        }

        public void AssertVaried(int cases)
        {
            foreach (var (trait, count) in counts)
            {
                Assert.That(count, Is.GreaterThan(cases / 200), $"too few generated histories with '{trait}': the generator no longer explores it");
            }

            Assert.That(counts, Has.Count.EqualTo(21));
        }

        public override string ToString() =>
            string.Join(", ", counts.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => $"{entry.Key} {entry.Value}"));

        private void Add(string trait, bool present)
        {
            counts[trait] = counts.GetValueOrDefault(trait) + (present ? 1 : 0);
        }
    }
}
