using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using Status = BtrfsBackup.Scanning.TargetStatus;

namespace BtrfsBackup.Tests.Planning;

/// <summary>The contract's "Retention" and "Identity and parents" rules, one case at a time, with the exact reasons.</summary>
[TestFixture]
public sealed class RetentionPlannerTests
{
    // Six nightlies, 5 days old down to 0 days old at Now exactly: ages fall on whole days.
    private const string Nov21 = "2026-11-21T03:00:00";
    private const string Nov22 = "2026-11-22T03:00:00";
    private const string Nov23 = "2026-11-23T03:00:00";
    private const string Nov24 = "2026-11-24T03:00:00";
    private const string Nov25 = "2026-11-25T03:00:00";
    private const string Nov26 = "2026-11-26T03:00:00";
    private const string OnlyProtected = "retention keeps only what is protected (keep_days = 0, keep_count = 0)";
    private const string Newest = "newest at this location";
    private const string Parent = "parent of the next incremental";
    private const string NotBackedUp = "not yet backed up and target unreachable";
    private const string NotSent = "not yet backed up";
    private const string NoRetention = "no retention configured";

    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private static readonly string[] SixNights = [Nov21, Nov22, Nov23, Nov24, Nov25, Nov26];

    // The rules and their reasons

    public static IEnumerable<TestCaseData> Policies()
    {
        yield return Case("both limits keep everything", 7, 10,
            "keep newest 10, younger than 7 days",
            "keep newest 10, younger than 7 days",
            "keep newest 10, younger than 7 days",
            "keep newest 10, younger than 7 days",
            "keep newest 10, younger than 7 days",
            $"keep {Newest}, newest 10, younger than 7 days");
        yield return Case("keep_days 0: only the count limit", 0, 2,
            "delete not among the newest 2",
            "delete not among the newest 2",
            "delete not among the newest 2",
            "delete not among the newest 2",
            "keep newest 2",
            $"keep {Newest}, newest 2");
        yield return Case("keep_count 0: only the age limit, exactly 2 days old is not younger", 2, 0,
            "delete older than 2 days",
            "delete older than 2 days",
            "delete older than 2 days",
            "delete older than 2 days",
            "keep younger than 2 days",
            $"keep {Newest}, younger than 2 days");
        yield return Case("both 0: only the newest stays", 0, 0,
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"keep {Newest}");
        yield return Case("the age limit wins when it keeps more", 3, 1,
            "delete older than 3 days and not among the newest 1",
            "delete older than 3 days and not among the newest 1",
            "delete older than 3 days and not among the newest 1",
            "keep younger than 3 days",
            "keep younger than 3 days",
            $"keep {Newest}, newest 1, younger than 3 days");
        yield return Case("the count limit wins when it keeps more", 1, 4,
            "delete older than 1 day and not among the newest 4",
            "delete older than 1 day and not among the newest 4",
            "keep newest 4",
            "keep newest 4",
            "keep newest 4",
            $"keep {Newest}, newest 4, younger than 1 day");
        yield return Case("a count larger than the location keeps everything", 0, 100,
            "keep newest 100",
            "keep newest 100",
            "keep newest 100",
            "keep newest 100",
            "keep newest 100",
            $"keep {Newest}, newest 100");
        yield return Case("a count equal to the location keeps everything", 0, 6,
            "keep newest 6",
            "keep newest 6",
            "keep newest 6",
            "keep newest 6",
            "keep newest 6",
            $"keep {Newest}, newest 6");

        static TestCaseData Case(string name, int keepDays, int keepCount, params string[] expected) =>
            new TestCaseData(keepDays, keepCount, expected).SetName($"Policy keep_days={keepDays} keep_count={keepCount}: {name}");
    }

    [TestCaseSource(nameof(Policies))]
    public void Each_policy_keeps_and_deletes_with_the_expected_reasons(int keepDays, int keepCount, string[] expected)
    {
        var inventory = new InventoryBuilder().Snapshots(SixNights).SourceRetention(keepDays, keepCount).NoTarget().Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(expected));
        Assert.That(plan.Source.Decisions.Select(decision => decision.Snapshot.Name.ToString()), Is.EqualTo(SixNights));
        Assert.That(plan.Source.SkipReason, Is.Null);
        Assert.That(plan.Warnings, Is.Empty);
    }

    [Test]
    public void The_same_rules_apply_on_the_target()
    {
        // Backups whose snapshots are gone from the source: the target's record says they are the pair's.
        var inventory = new InventoryBuilder()
            .BackupOf(Nov21).BackupOf(Nov22).BackupOf(Nov23)
            .SentBefore(Nov21).SentBefore(Nov22).SentBefore(Nov23)
            .TargetRetention(keepDays: 1, keepCount: 2)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Target.Side, Is.EqualTo("target"));
        Assert.That(plan.Target.Path, Is.EqualTo("/backup/home"));
        Assert.That(plan.Target.SkipReason, Is.Null);
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[]
        {
            "delete older than 1 day and not among the newest 2",
            "keep newest 2",
            $"keep {Newest}, newest 2",
        }));
    }

    // Exact day boundaries

    [TestCase(0, true, "older than 7 days", TestName = "Exactly 7 days old is not younger than 7 days")]
    [TestCase(-1, true, "older than 7 days", TestName = "7 days and a second old is deleted")]
    [TestCase(1, false, "younger than 7 days", TestName = "One second under 7 days old is kept")]
    public void The_age_limit_is_exact_to_the_second(int secondsAfterTheLimit, bool deleted, string reason)
    {
        var atTheLimit = Now.AddDays(-7).AddSeconds(secondsAfterTheLimit);
        var name = NameAt(atTheLimit);
        var inventory = new InventoryBuilder().Snapshots(name, Nov26).SourceRetention(keepDays: 7, keepCount: 0).NoTarget().Build();

        var decision = DecisionFor(RetentionPlanner.Plan(inventory, Now).Source, name);

        Assert.That(decision.Delete, Is.EqualTo(deleted));
        Assert.That(decision.Reason, Is.EqualTo(reason));
    }

    [TestCase(1, "younger than 1 day")]
    [TestCase(30, "younger than 30 days")]
    public void Day_counts_are_worded_in_the_singular_and_plural(int keepDays, string reason)
    {
        var inventory = new InventoryBuilder().Snapshots(Nov26).SourceRetention(keepDays, keepCount: 0).NoTarget().Build();

        var decision = RetentionPlanner.Plan(inventory, Now.AddHours(1)).Source.Decisions.Single();

        Assert.That(decision.Reason, Is.EqualTo($"{Newest}, {reason}"));
    }

    [Test]
    public void The_largest_keep_days_the_configuration_accepts_keeps_everything()
    {
        // ConfigurationValidator accepts keep_days up to int.MaxValue.
        var inventory = new InventoryBuilder().Snapshots(Nov21, Nov26).SourceRetention(keepDays: int.MaxValue, keepCount: 0).NoTarget().Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            "keep younger than 2147483647 days",
            $"keep {Newest}, younger than 2147483647 days",
        }));
    }

    [Test]
    public void A_long_keep_days_measures_ages_across_years()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2016-11-26T03:00:00", "2016-11-26T03:00:01", Nov26)
            .SourceRetention(keepDays: 3653, keepCount: 0) // 2016-11-26 to 2026-11-26 is 3652 days
            .NoTarget()
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            "keep younger than 3653 days",
            "keep younger than 3653 days",
            $"keep {Newest}, younger than 3653 days",
        }));
        Assert.That(Outcomes(RetentionPlanner.Plan(inventory, Now.AddDays(1)).Source)[0], Is.EqualTo("delete older than 3653 days"));
    }

    // No retention configured

    [Test]
    public void Without_retention_nothing_is_deleted_at_either_location()
    {
        var inventory = new InventoryBuilder().Snapshots(SixNights).BackupOf(Nov21).BackupOf(Nov22).Build();

        var plan = RetentionPlanner.Plan(inventory, Now.AddYears(5));

        Assert.That(plan.HasWork, Is.False);
        Assert.That(plan.Steps, Is.Empty);
        Assert.That(plan.Source.SkipReason, Is.EqualTo(NoRetention));
        Assert.That(plan.Target.SkipReason, Is.EqualTo(NoRetention));
        Assert.That(Outcomes(plan.Source), Is.EqualTo(Enumerable.Repeat($"keep {NoRetention}", 6)));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(Enumerable.Repeat($"keep {NoRetention}", 2)));
    }

    [Test]
    public void Retention_on_one_side_only_purges_that_side()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23)
            .BackupOf(Nov21).BackupOf(Nov22).BackupOf(Nov23)
            .TargetRetention(keepDays: 0, keepCount: 1)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Deletions, Is.Empty);
        Assert.That(plan.Source.SkipReason, Is.EqualTo(NoRetention));
        Assert.That(plan.Target.SkipReason, Is.Null);
        Assert.That(plan.Target.Deletions.Select(decision => decision.Snapshot.Name.ToString()), Is.EqualTo(new[] { Nov21, Nov22 }));
        Assert.That(plan.Format(), Does.Contain("source /snapshots/home: not purged: no retention configured\n"));
    }

    // Locations with one snapshot or none

    [Test]
    public void A_single_snapshot_is_kept_as_the_newest_whatever_its_age()
    {
        var inventory = new InventoryBuilder()
            .Snapshot(Nov21).BackupOf(Nov21)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now.AddYears(10));

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"keep {Newest}, {Parent}" }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { $"keep {Newest}, {Parent}" }));
        Assert.That(plan.HasWork, Is.False);
    }

    [Test]
    public void Empty_locations_have_no_decisions_and_no_warnings()
    {
        var inventory = new InventoryBuilder().SourceRetention(0, 0).TargetRetention(0, 0).Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Decisions, Is.Empty);
        Assert.That(plan.Target.Decisions, Is.Empty);
        Assert.That(plan.Warnings, Is.Empty);
        Assert.That(plan.Format(), Is.EqualTo("source /snapshots/home:\ntarget /backup/home:\n"));
    }

    // Names

    [Test]
    public void Suffixed_snapshots_count_by_the_time_in_their_names()
    {
        const string PreUpgrade = "2026-11-24T09:12:44-pre-upgrade";
        const string SameTimeSuffixed = "2026-11-25T03:00:00-manual";
        var inventory = new InventoryBuilder()
            .Snapshots(Nov26, PreUpgrade, Nov23, SameTimeSuffixed, Nov25, Nov24)
            .SourceRetention(keepDays: 0, keepCount: 4)
            .NoTarget()
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Decisions.Select(decision => decision.ToString()), Is.EqualTo(new[]
        {
            $"delete {Nov23}  # not among the newest 4",
            $"delete {Nov24}  # not among the newest 4",
            $"keep   {PreUpgrade}  # newest 4",
            $"keep   {Nov25}  # newest 4",
            $"keep   {SameTimeSuffixed}  # newest 4",
            $"keep   {Nov26}  # {Newest}, newest 4",
        }));
    }

    [Test]
    public void A_suffixed_snapshot_ages_from_the_time_in_its_name()
    {
        const string Suffixed = "2026-11-19T03:00:01-pre-upgrade"; // one second under 7 days old
        const string Older = "2026-11-19T03:00:00-pre-upgrade"; // exactly 7 days old
        var inventory = new InventoryBuilder().Snapshots(Older, Suffixed, Nov26).SourceRetention(keepDays: 7, keepCount: 0).NoTarget().Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { "delete older than 7 days", "keep younger than 7 days", $"keep {Newest}, younger than 7 days" }));
    }

    [Test]
    public void Foreign_subvolumes_are_never_in_the_decisions_nor_counted()
    {
        var builder = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23)
            .ForeignInSnapshotDir("home.old")
            .ForeignInSnapshotDir("2026-11-27T03:00:00-") // an empty suffix is not one of our names
            .ForeignInSnapshotDir("2026-11-27T03:00:00 copy")
            .BackupOf(Nov21).BackupOf(Nov22)
            .ForeignOnTarget("manual-copy")
            .ForeignOnTarget("zz-received-elsewhere", receivedFrom: Nov23)
            .SourceRetention(keepDays: 0, keepCount: 2)
            .TargetRetention(keepDays: 0, keepCount: 1);
        var inventory = builder.Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        var paths = plan.Source.Decisions.Concat(plan.Target.Decisions).Select(decision => decision.Snapshot.Path).ToList();
        Assert.That(inventory.SnapshotDir.Foreign, Has.Count.EqualTo(3));
        Assert.That(inventory.Target!.Foreign, Has.Count.EqualTo(2));
        Assert.That(paths, Has.None.Contains("home.old").And.None.Contains("manual-copy").And.None.Contains("received-elsewhere").And.None.Contains("2026-11-27"));
        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { "delete not among the newest 2", $"keep {Parent}, newest 2", $"keep {Newest}, {NotSent}, newest 2" }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { "delete not among the newest 1", $"keep {Newest}, {Parent}, newest 1" }));
        Assert.That(plan.Format(), Does.Not.Contain("home.old").And.Not.Contain("manual-copy").And.Not.Contain("elsewhere"));
    }

    // Incomplete receives and writable snapshots

    [Test]
    public void Incomplete_writable_and_unreceived_subvolumes_on_the_target_are_never_counted_nor_deleted()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24)
            .BackupOf(Nov21).BackupOf(Nov22)
            .IncompleteReceive(Nov23)
            .IncompleteReceive(Nov24, readOnly: true)
            .WritableOnTarget(Nov25, withReceivedUuid: true)
            .TargetRetention(keepDays: 0, keepCount: 2)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(inventory.Target!.Incomplete.Concat(inventory.Target.Writable).Concat(inventory.Target.Foreign.Select(foreign => foreign.Subvolume)).Select(subvolume => subvolume.Name),
            Is.EquivalentTo(new[] { Nov23, Nov24, Nov25 }));
        Assert.That(plan.Target.Decisions.Select(decision => decision.Snapshot.Name.ToString()), Is.EqualTo(new[] { Nov21, Nov22 }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { "keep newest 2", $"keep {Newest}, {Parent}, newest 2" }));
        Assert.That(plan.HasWork, Is.False);
    }

    [Test]
    public void A_writable_incomplete_receive_with_a_received_uuid_does_not_make_its_snapshot_the_parent()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23)
            .BackupOf(Nov21)
            .IncompleteReceive(Nov22, withReceivedUuid: true)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"keep {Parent}", $"keep {NotSent}", $"keep {Newest}, {NotSent}" }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { $"keep {Newest}, {Parent}" }));
    }

    [Test]
    public void A_writable_subvolume_in_the_snapshot_directory_is_never_counted_nor_deleted()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22)
            .WritableSnapshot(Nov23)
            .SourceRetention(keepDays: 0, keepCount: 1)
            .NoTarget()
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(inventory.SnapshotDir.Foreign.Select(foreign => (foreign.Name, foreign.Reason)), Is.EqualTo(new[] { (Nov23, "writable: not a snapshot") }));
        Assert.That(plan.Source.Decisions.Select(decision => decision.Snapshot.Name.ToString()), Is.EqualTo(new[] { Nov21, Nov22 }));
        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { "delete not among the newest 1", $"keep {Newest}, newest 1" }));
    }

    // The next incremental's parent, identified by Received UUID

    [Test]
    public void The_parent_is_kept_on_the_source_and_its_backup_on_the_target()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24, Nov25)
            .BackupOf(Nov21).BackupOf(Nov22).BackupOf(Nov23)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"keep {Parent}",
            $"keep {NotSent}",
            $"keep {Newest}, {NotSent}",
        }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"delete {OnlyProtected}", $"keep {Newest}, {Parent}" }));
    }

    [Test]
    public void The_parent_is_protected_on_top_of_what_the_policy_keeps()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24, Nov25, Nov26)
            .BackupOf(Nov22)
            .SourceRetention(keepDays: 2, keepCount: 3)
            .TargetRetention(keepDays: 7, keepCount: 1)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            "delete older than 2 days and not among the newest 3", // older than the newest backup on a target from before records: handled
            $"keep {Parent}",
            $"keep {NotSent}",
            $"keep {NotSent}, newest 3",
            $"keep {NotSent}, newest 3, younger than 2 days",
            $"keep {Newest}, {NotSent}, newest 3, younger than 2 days",
        }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { $"keep {Newest}, {Parent}, newest 1, younger than 7 days" }));
    }

    [Test]
    public void A_renamed_backup_is_its_snapshots_backup_and_a_namesake_from_another_source_is_not()
    {
        const string Renamed = "2026-01-01T00:00:00-kept";
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24)
            .BackupOf(Nov21)
            .BackupOf(Nov22, nameOnTarget: Renamed)
            .BackupFromOtherSource(Nov23)
            .BackupFromOtherSource(Nov24)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Decisions.Select(decision => decision.ToString()), Is.EqualTo(new[]
        {
            $"delete {Nov21}  # {OnlyProtected}",
            $"keep   {Nov22}  # {Parent}",
            $"keep   {Nov23}  # {NotSent}",
            $"keep   {Nov24}  # {Newest}, {NotSent}",
        }));
        Assert.That(plan.Target.Decisions.Select(decision => decision.ToString()), Is.EqualTo(new[]
        {
            $"keep   {Renamed}  # {Parent}",
            $"keep   {Nov21}  # {Newest}",
        }), "the other source's backups under our names are foreign: not counted, not deleted");
        Assert.That(inventory.Target!.Foreign.Select(foreign => foreign.Name), Is.EqualTo(new[] { Nov23, Nov24 }));
    }

    [Test]
    public void A_backup_whose_source_snapshot_is_gone_protects_nothing()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov23, Nov24, Nov25)
            .BackupOf(Nov21).BackupOf(Nov22)
            .SentBefore(Nov21).SentBefore(Nov22).SentBefore(Nov23).SentBefore(Nov24)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"delete {OnlyProtected}", $"keep {Newest}, {NotSent}" }));
        Assert.That(Outcomes(plan.Target), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"keep {Newest}" }));
    }

    [Test]
    public void With_a_reachable_target_snapshots_not_yet_sent_are_kept_too()
    {
        // Sending comes before purging in a nightly; a purge on its own must not take what was never backed up.
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24)
            .BackupOf(Nov21)
            .LastKnownParent(Nov21)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"keep {Parent}", $"keep {NotSent}", $"keep {NotSent}", $"keep {Newest}, {NotSent}" }));
        Assert.That(plan.Warnings, Is.Empty);
    }

    [Test]
    public void The_scan_wins_over_the_last_backup_record_when_the_target_is_reachable()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24)
            .BackupOf(Nov21).BackupOf(Nov22)
            .LastKnownParent(Nov21)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"keep {Parent}", $"keep {NotSent}", $"keep {Newest}, {NotSent}" }));
    }

    [Test]
    public void The_newest_snapshot_that_is_also_the_parent_gives_both_reasons()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22)
            .BackupOf(Nov21).BackupOf(Nov22)
            .SourceRetention(keepDays: 7, keepCount: 10)
            .TargetRetention(keepDays: 7, keepCount: 10)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Decisions[^1].Reason, Is.EqualTo($"{Newest}, {Parent}, newest 10, younger than 7 days"));
        Assert.That(plan.Target.Decisions[^1].Reason, Is.EqualTo($"{Newest}, {Parent}, newest 10, younger than 7 days"));
    }

    // Target unreachable

    [TestCase(Status.Missing)]
    [TestCase(Status.NotBtrfs)]
    [TestCase(Status.OnSourceFilesystem)]
    public void While_the_target_is_away_the_known_parent_and_everything_newer_is_kept(Status status)
    {
        var builder = new InventoryBuilder()
            .Snapshots(SixNights)
            .BackupOf(Nov21).BackupOf(Nov22).BackupOf(Nov23) // on the disk that is away: not listed
            .LastKnownParent(Nov23)
            .TargetStatus(status)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .TargetRetention(keepDays: 0, keepCount: 0);
        var inventory = builder.Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            $"delete {OnlyProtected}",
            $"delete {OnlyProtected}",
            $"keep {Parent}",
            $"keep {NotBackedUp}",
            $"keep {NotBackedUp}",
            $"keep {Newest}, {NotBackedUp}",
        }));
        Assert.That(plan.Target.Decisions, Is.Empty);
        Assert.That(plan.Target.Path, Is.EqualTo("/backup/home"));
        Assert.That(plan.Target.SkipReason, Is.EqualTo(inventory.TargetStatusReason));
        Assert.That(plan.Warnings, Is.Empty);
        Assert.That(plan.Format(), Does.Contain($"target /backup/home: not purged: {inventory.TargetStatusReason}\n"));
    }

    [Test]
    public void The_target_plan_is_skipped_with_the_inventorys_own_reason()
    {
        var inventory = new InventoryBuilder().Snapshot(Nov21).TargetStatus(Status.Missing, "the disk is on holiday").TargetRetention(0, 0).Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Target.SkipReason, Is.EqualTo("the disk is on holiday"));
        Assert.That(plan.Target.Deletions, Is.Empty);
    }

    [Test]
    public void While_the_target_is_away_the_policy_still_applies_to_snapshots_older_than_the_known_parent()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(SixNights)
            .LastKnownParent(Nov24)
            .TargetStatus(Status.OnSourceFilesystem)
            .SourceRetention(keepDays: 4, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            "delete older than 4 days",
            "delete older than 4 days",
            "keep younger than 4 days",
            $"keep {Parent}, younger than 4 days",
            $"keep {NotBackedUp}, younger than 4 days",
            $"keep {Newest}, {NotBackedUp}, younger than 4 days",
        }));
    }

    [Test]
    public void While_the_target_is_away_with_no_known_parent_nothing_is_deleted_on_the_source_and_a_warning_says_why()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23)
            .TargetStatus(Status.OnSourceFilesystem)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Deletions, Is.Empty);
        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"keep {NotBackedUp}", $"keep {NotBackedUp}", $"keep {Newest}, {NotBackedUp}" }));
        Assert.That(plan.Warnings, Is.EqualTo(new[] { "the target cannot be reached and no record says which snapshots were sent: every source snapshot is kept" }));
        Assert.That(plan.Format(), Does.StartWith("warning: the target cannot be reached and no record says which snapshots were sent: every source snapshot is kept\n"));
    }

    [Test]
    public void While_the_target_is_away_a_known_parent_no_longer_on_the_source_protects_every_source_snapshot()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov23, Nov24, Nov25)
            .LastKnownParent(Nov21)
            .TargetStatus(Status.Missing)
            .SourceRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Source.Deletions, Is.Empty);
        Assert.That(plan.Warnings, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_empty_snapshot_directory_with_the_target_away_gives_no_warning()
    {
        var inventory = new InventoryBuilder().TargetStatus(Status.Missing).SourceRetention(0, 0).Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Warnings, Is.Empty);
        Assert.That(plan.Source.Decisions, Is.Empty);
    }

    // Snapshot-only pairs

    [Test]
    public void A_snapshot_only_pair_protects_nothing_beyond_the_newest()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23, Nov24)
            .LastKnownParent(Nov22) // a stale record from when the pair had a target
            .NoTarget()
            .SourceRetention(keepDays: 0, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"delete {OnlyProtected}", $"delete {OnlyProtected}", $"keep {Newest}" }));
        Assert.That(plan.Target.Path, Is.EqualTo("(none)"));
        Assert.That(plan.Target.SkipReason, Is.EqualTo("no target configured (snapshot-only pair)"));
        Assert.That(plan.Target.Decisions, Is.Empty);
        Assert.That(plan.Warnings, Is.Empty);
    }

    // Clocks

    [Test]
    public void A_snapshot_dated_in_the_future_is_kept_and_warned_about()
    {
        const string Tomorrow = "2026-11-27T03:00:00";
        const string DayAfter = "2026-11-28T03:00:00-pre-upgrade";
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Tomorrow, DayAfter)
            .BackupOf(Nov21).BackupOf(Tomorrow)
            .SourceRetention(keepDays: 7, keepCount: 0)
            .TargetRetention(keepDays: 7, keepCount: 0)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[]
        {
            "keep younger than 7 days",
            $"keep {Parent}, younger than 7 days",
            $"keep {Newest}, {NotSent}, younger than 7 days",
        }));
        Assert.That(plan.Warnings, Is.EqualTo(new[]
        {
            $"/snapshots/home/{Tomorrow} is dated in the future (was the clock set back?); it counts as new",
            $"/snapshots/home/{DayAfter} is dated in the future (was the clock set back?); it counts as new",
            $"/backup/home/{Tomorrow} is dated in the future (was the clock set back?); it counts as new",
        }));
    }

    [Test]
    public void A_snapshot_dated_in_the_future_is_kept_even_when_the_policy_keeps_nothing()
    {
        const string Tomorrow = "2026-11-27T03:00:00";
        const string DayAfter = "2026-11-28T03:00:00";
        var inventory = new InventoryBuilder().Snapshots(Nov21, Tomorrow, DayAfter).SourceRetention(0, 0).NoTarget().Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(DecisionFor(plan.Source, Tomorrow).Delete, Is.False);
        Assert.That(DecisionFor(plan.Source, Tomorrow).Reason, Is.EqualTo("dated in the future"));
        Assert.That(DecisionFor(plan.Source, DayAfter).Delete, Is.False);
        Assert.That(DecisionFor(plan.Source, Nov21).Delete, Is.True);
        Assert.That(plan.Warnings, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_snapshot_dated_exactly_now_is_not_in_the_future()
    {
        var inventory = new InventoryBuilder().Snapshots(Nov25, Nov26).SourceRetention(0, 0).NoTarget().Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.Warnings, Is.Empty);
        Assert.That(Outcomes(plan.Source), Is.EqualTo(new[] { $"delete {OnlyProtected}", $"keep {Newest}" }));
    }

    // What the purge task runs

    [Test]
    public void The_steps_delete_source_then_target_oldest_first_with_the_side_and_reason()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Nov21, Nov22, Nov23)
            .BackupOf(Nov21).BackupOf(Nov22).BackupOf(Nov23)
            .SourceRetention(keepDays: 0, keepCount: 1)
            .TargetRetention(keepDays: 0, keepCount: 2)
            .Build();

        var plan = RetentionPlanner.Plan(inventory, Now);

        Assert.That(plan.HasWork, Is.True);
        Assert.That(plan.Steps.Select(step => step.ToString()), Is.EqualTo(new[]
        {
            $"btrfs subvolume delete /snapshots/home/{Nov21}  # source: not among the newest 1",
            $"btrfs subvolume delete /snapshots/home/{Nov22}  # source: not among the newest 1",
            $"btrfs subvolume delete /backup/home/{Nov21}  # target: not among the newest 2",
        }));
    }

    [Test]
    public void Planning_a_null_inventory_is_refused()
    {
        Assert.That(() => RetentionPlanner.Plan(null!, Now), Throws.ArgumentNullException);
    }

    private static string NameAt(DateTimeOffset time) => SnapshotNames.WithoutOffset(time.UtcDateTime);

    private static RetentionDecision DecisionFor(LocationPurgePlan location, string name) =>
        location.Decisions.Single(decision => decision.Snapshot.Name.ToString() == name);

    private static string[] Outcomes(LocationPurgePlan location) =>
        location.Decisions.Select(decision => $"{(decision.Delete ? "delete" : "keep")} {decision.Reason}").ToArray();
}
