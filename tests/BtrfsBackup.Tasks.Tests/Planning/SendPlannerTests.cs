using BtrfsBackup.Planning;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Planning;

[TestFixture]
public sealed class SendPlannerTests
{
    private const string Day1 = "2026-11-20T03:00:00";
    private const string Day2 = "2026-11-21T03:00:00";
    private const string Day3 = "2026-11-22T03:00:00";
    private const string Day4 = "2026-11-23T03:00:00";
    private const string Day5 = "2026-11-24T03:00:00";

    // First send

    [Test]
    public void The_first_send_of_a_pair_is_full_and_says_why()
    {
        var inventory = new InventoryBuilder("home").Snapshot(Day1).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.SkipReason, Is.Null);
        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(plan.HasWork, Is.True);
        Assert.That(plan.Sends, Has.Count.EqualTo(1));
        var send = plan.Sends[0];
        Assert.That(send.Snapshot.Name.ToString(), Is.EqualTo(Day1));
        Assert.That(send.Parent, Is.Null);
        Assert.That(send.IsIncremental, Is.False);
        Assert.That(send.Kind, Is.EqualTo("full"));
        Assert.That(send.Reason, Does.StartWith("full send: "));
        Assert.That(send.Reason, Is.EqualTo("full send: the target holds no backup of another snapshot of this source"));
    }

    [Test]
    public void Without_any_backup_every_snapshot_is_sent_oldest_first_the_first_full_then_each_from_the_previous()
    {
        var inventory = new InventoryBuilder().Snapshots(Day3, Day1, Day2).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day1, Day2, Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { null, Day1, Day2 }));
        Assert.That(plan.Sends[0].Reason, Does.StartWith("full send: "));
        Assert.That(plan.Sends[1].Reason, Does.StartWith("incremental: ").And.Contains(Day1));
        Assert.That(plan.Sends[2].Reason, Does.StartWith("incremental: ").And.Contains(Day2));
    }

    [Test]
    public void An_empty_target_directory_gets_a_full_send_to_it()
    {
        var builder = new InventoryBuilder("home").Snapshot(Day1);

        var send = SendPlanner.Plan(builder.Build()).Sends.Single();

        Assert.That(send.TargetDirectory, Is.EqualTo("/backup/home"));
        Assert.That(send.BackupPath, Is.EqualTo("/backup/home/" + Day1));
        Assert.That(send.Snapshot.Path, Is.EqualTo("/snapshots/home/" + Day1));
        Assert.That(send.Snapshot.Uuid, Is.EqualTo(builder.SnapshotUuid(Day1)));
    }

    // Incremental sends

    [Test]
    public void Snapshots_newer_than_the_newest_backup_are_sent_oldest_first_each_from_the_previous()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3, Day4)
            .BackupOf(Day1).BackupOf(Day2)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.SkipReason, Is.Null);
        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3, Day4 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2, Day3 }));
        Assert.That(plan.Sends.All(send => send.IsIncremental), Is.True);
        Assert.That(plan.Sends[0].Kind, Is.EqualTo($"incremental from {Day2}"));
        Assert.That(plan.Sends[0].Reason, Is.EqualTo($"incremental: {Day2} is the newest older snapshot backed up on the target"));
        Assert.That(plan.Sends[1].Kind, Is.EqualTo($"incremental from {Day3}"));
    }

    [Test]
    public void The_parent_is_the_source_snapshot_itself_not_its_backup()
    {
        var builder = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1);

        var send = SendPlanner.Plan(builder.Build()).Sends.Single();

        Assert.That(send.Parent, Is.Not.Null);
        Assert.That(send.Parent!.Path, Is.EqualTo(builder.SnapshotPath(Day1)));
        Assert.That(send.Parent.Uuid, Is.EqualTo(builder.SnapshotUuid(Day1)));
    }

    [Test]
    public void A_backup_whose_source_snapshot_was_purged_is_no_parent()
    {
        // Day1's backup stays on the target (the record says it is the pair's), but Day1 is gone from the source: nothing to send -p from.
        var inventory = new InventoryBuilder().Snapshots(Day2, Day3).BackupOf(Day1).SentBefore(Day1).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2, Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { null, Day2 }));
    }

    // Identity by Received UUID

    [Test]
    public void A_backup_renamed_on_the_target_still_counts()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1)
            .BackupOf(Day2, nameOnTarget: "2026-01-01T00:00:00-kept")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2 }));
    }

    [Test]
    public void A_backup_renamed_on_the_target_counts_when_it_is_the_only_one()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2)
            .BackupOf(Day2, nameOnTarget: "2030-01-01T00:00:00-renamed")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.SkipReason, Does.StartWith("nothing new to send: ").And.Contains(Day2));
    }

    [Test]
    public void A_backup_belongs_to_the_snapshot_with_its_received_uuid_not_to_the_one_with_its_name()
    {
        // Day2's backup was renamed to Day1's name: Day2 is backed up, Day1 is not.
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day2, nameOnTarget: Day1)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2 }));
    }

    [Test]
    public void A_backup_with_our_name_but_another_received_uuid_does_not_count_and_the_plan_fails()
    {
        var builder = new InventoryBuilder("home")
            .Snapshots(Day1, Day2)
            .BackupOf(Day1)
            .BackupFromOtherSource(Day2);

        var error = Assert.Throws<BackupException>(() => SendPlanner.Plan(builder.Build()));

        Assert.That(error.Message, Does.StartWith($"cannot receive {Day2}: "));
        Assert.That(error.Message, Does.Contain(builder.BackupPath(Day2)));
        Assert.That(error.Message, Does.Contain(builder.OtherSourceUuid(Day2).ToString()));
        Assert.That(error.Message, Does.Contain(builder.SnapshotUuid(Day2).ToString()));
    }

    [Test]
    public void A_different_subvolume_under_the_name_of_the_first_full_send_fails_the_plan()
    {
        var builder = new InventoryBuilder("root").Snapshot(Day1).BackupFromOtherSource(Day1).Recorded();

        var error = Assert.Throws<BackupException>(() => SendPlanner.Plan(builder.Build()));

        Assert.That(error.Message, Does.Contain(Day1));
        Assert.That(error.Message, Does.Contain(builder.OtherSourceUuid(Day1).ToString()));
        Assert.That(error.Message, Does.Contain(builder.SnapshotUuid(Day1).ToString()));
    }

    [Test]
    public void A_backup_of_an_older_snapshot_renamed_to_the_name_of_one_to_send_fails_the_plan()
    {
        var builder = new InventoryBuilder()
            .Snapshots(Day1, Day2)
            .BackupOf(Day1, nameOnTarget: Day2);

        var error = Assert.Throws<BackupException>(() => SendPlanner.Plan(builder.Build()));

        Assert.That(error.Message, Does.Contain(Day2));
        Assert.That(error.Message, Does.Contain(builder.SnapshotUuid(Day1).ToString()));
        Assert.That(error.Message, Does.Contain(builder.SnapshotUuid(Day2).ToString()));
    }

    [Test]
    public void A_different_subvolume_under_the_name_of_a_snapshot_not_to_be_sent_is_left_alone()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3)
            .BackupFromOtherSource(Day1)
            .BackupOf(Day2)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2 }));
        Assert.That(plan.Cleanup, Is.Empty);
    }

    [Test]
    public void A_target_without_a_record_holding_only_another_sources_backups_is_refused()
    {
        var builder = new InventoryBuilder()
            .Snapshots(Day2, Day3)
            .BackupFromOtherSource(Day1)
            .BackupFromOtherSource("2026-10-01T03:00:00");

        var inventory = builder.Build();
        var plan = SendPlanner.Plan(inventory);

        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.Refused));
        Assert.That(inventory.TargetStatusReason, Does.StartWith($"target {builder.TargetPath} holds backups that are not this pair's"));
        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.SkipReason, Is.EqualTo(inventory.TargetStatusReason));
    }

    [Test]
    public void A_target_of_this_pairs_holding_another_sources_backups_gets_a_full_send_beside_them()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day2, Day3)
            .BackupFromOtherSource(Day1)
            .BackupFromOtherSource("2026-10-01T03:00:00")
            .Recorded()
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2, Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { null, Day2 }));
        Assert.That(plan.Sends[0].Reason, Does.StartWith("full send: "));
        Assert.That(inventory.Target!.Foreign.Select(foreign => foreign.Reason), Is.All.EqualTo("backup of another source"));
    }

    [Test]
    public void A_target_whose_record_names_another_source_is_refused_naming_both()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).TargetOwnedBy("/srv/work").Build();

        Assert.That(inventory.TargetStatus, Is.EqualTo(TargetStatus.Refused));
        Assert.That(inventory.TargetStatusReason, Does.StartWith("target /backup/home belongs to another source: source /srv/work (UUID "));
        Assert.That(inventory.TargetStatusReason, Does.Contain("this pair's source is /src/home"));
        Assert.That(inventory.Target, Is.Null, "nothing of it is counted");
    }

    [Test]
    public void Backups_sent_from_another_pair_with_the_same_names_are_not_ours()
    {
        var other = new InventoryBuilder("other");
        var inventory = new InventoryBuilder("home")
            .Snapshots(Day1, Day2)
            .Backup("2026-11-19T03:00:00", other.SnapshotUuid("2026-11-19T03:00:00"))
            .Recorded()
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { null, Day1 }));
    }

    // Unfinished receives and writable subvolumes on the target

    [TestCase(false)]
    [TestCase(true)]
    public void An_incomplete_receive_is_never_a_parent(bool withReceivedUuid)
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1)
            .IncompleteReceive(Day2, withReceivedUuid: withReceivedUuid)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2, Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day1, Day2 }));
    }

    [Test]
    public void A_read_only_subvolume_that_was_never_received_where_a_backup_must_land_fails_the_plan()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1).IncompleteReceive(Day2, readOnly: true).Build();

        var error = Assert.Throws<BackupException>(() => SendPlanner.Plan(inventory));

        Assert.That(error!.Message, Does.StartWith($"cannot receive {Day2}: /backup/home/{Day2} is already there (read-only but not received: not a backup) and is left alone"));
    }

    [Test]
    public void An_incomplete_receive_alone_does_not_make_a_send_incremental()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2)
            .IncompleteReceive(Day1, withReceivedUuid: true)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day1, Day2 }));
        Assert.That(plan.Sends[0].Parent, Is.Null);
    }

    [Test]
    public void The_tools_own_unfinished_receive_is_deleted_first_and_its_snapshot_sent_again()
    {
        var builder = new InventoryBuilder("home")
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1)
            .IncompleteReceive(Day2);

        var plan = SendPlanner.Plan(builder.Build());

        Assert.That(plan.Cleanup, Has.Count.EqualTo(1));
        var step = plan.Cleanup[0];
        Assert.That(step.Command.ToString(), Is.EqualTo($"btrfs subvolume delete /backup/home/{Day2}"));
        Assert.That(step.Reason, Is.EqualTo($"unfinished receive of {Day2}: the target's record names it as the receive under way when a run stopped"));
        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2, Day3 }));
        Assert.That(plan.HasWork, Is.True);
    }

    [Test]
    public void The_tools_own_unfinished_receive_is_deleted_even_when_nothing_else_is_to_be_sent()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1).BackupOf(Day2).IncompleteReceive("2026-11-01T03:00:00-gone").Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Cleanup.Select(step => step.Path), Is.EqualTo(new[] { "/backup/home/2026-11-01T03:00:00-gone" }));
        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.HasWork, Is.True);
        Assert.That(plan.SkipReason, Is.Null);
    }

    [Test]
    public void A_writable_subvolume_the_tool_did_not_make_is_never_deleted_nor_counted()
    {
        var inventory = new InventoryBuilder("home")
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1)
            .WritableOnTarget("2026-11-01T03:00:00-restored")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2, Day3 }));
        Assert.That(inventory.Target!.Writable.Select(subvolume => subvolume.Name), Is.EqualTo(new[] { "2026-11-01T03:00:00-restored" }));
    }

    [Test]
    public void A_backup_made_writable_is_left_alone_and_not_sent_again()
    {
        // Sent and recorded, then made writable by hand: its Received UUID is gone, the record still names the snapshot.
        var inventory = new InventoryBuilder("home")
            .Snapshots(Day1, Day2, Day3)
            .BackupOf(Day1)
            .SentBefore(Day2)
            .WritableOnTarget(Day2)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day1 }), "a writable subvolume is never a parent");
    }

    [Test]
    public void A_writable_subvolume_where_a_backup_must_land_fails_the_plan_saying_what_to_do()
    {
        var inventory = new InventoryBuilder("home").Snapshots(Day1, Day2).BackupOf(Day1).WritableOnTarget(Day2).Build();

        var error = Assert.Throws<BackupException>(() => SendPlanner.Plan(inventory));

        Assert.That(error!.Message, Does.StartWith($"cannot receive {Day2}: /backup/home/{Day2} is a writable subvolume, not a backup, and it is left alone"));
        Assert.That(error.Message, Does.Contain("move or rename it"));
    }

    [Test]
    public void Foreign_subvolumes_on_the_target_are_neither_cleaned_up_nor_counted()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2)
            .BackupOf(Day1)
            .ForeignOnTarget("lost+found")
            .ForeignOnTarget("home-2025")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day2 }));
    }

    // Gaps

    [Test]
    public void On_a_target_made_before_records_snapshots_older_than_the_newest_backup_count_as_handled()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3, Day4, Day5)
            .BackupOf(Day2)
            .BackupOf(Day4)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day5 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day4 }));
    }

    [Test]
    public void On_a_target_made_before_records_an_old_snapshot_never_backed_up_is_not_sent_once_a_newer_one_is()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day2).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.SkipReason, Does.StartWith("nothing new to send: "));
    }

    [Test]
    public void With_a_record_a_snapshot_never_sent_is_sent_whatever_its_date_from_the_nearest_backup()
    {
        // A clock stepped back: Day1 was taken after Day2 was backed up, and is dated before it.
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day2).SentBefore(Day2).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day1 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2 }));
        Assert.That(plan.Sends[0].Reason, Is.EqualTo($"incremental: from {Day2}, the nearest snapshot backed up (this one is dated before it)"));
    }

    [Test]
    public void A_snapshot_recorded_as_sent_is_not_sent_again_after_the_targets_retention_removed_its_backup()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2, Day3).SentBefore(Day1).BackupOf(Day2).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day2 }));
    }

    // Order of suffixed names

    [Test]
    public void Suffixed_names_are_sent_in_the_order_of_their_time_then_their_suffix()
    {
        var inventory = new InventoryBuilder()
            .Snapshot("2026-11-21T03:00:00-pre-upgrade")
            .Snapshot("2026-11-21T03:00:00")
            .Snapshot("2026-11-20T09:12:44-zzz")
            .Snapshot("2026-11-21T03:00:00-a")
            .Snapshot("2026-11-20T03:00:00")
            .BackupOf("2026-11-20T03:00:00")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[]
        {
            "2026-11-20T09:12:44-zzz",
            "2026-11-21T03:00:00",
            "2026-11-21T03:00:00-a",
            "2026-11-21T03:00:00-pre-upgrade",
        }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[]
        {
            "2026-11-20T03:00:00",
            "2026-11-20T09:12:44-zzz",
            "2026-11-21T03:00:00",
            "2026-11-21T03:00:00-a",
        }));
    }

    [Test]
    public void A_suffixed_snapshot_at_the_time_of_the_newest_backup_is_newer_and_one_a_second_earlier_is_older()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-21T02:59:59-zzz", "2026-11-21T03:00:00", "2026-11-21T03:00:00-pre-upgrade")
            .BackupOf("2026-11-21T03:00:00")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { "2026-11-21T03:00:00-pre-upgrade" }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { "2026-11-21T03:00:00" }));
    }

    [Test]
    public void The_newest_backup_is_found_by_time_then_suffix_not_by_declaration_order()
    {
        var inventory = new InventoryBuilder()
            .Snapshots("2026-11-21T03:00:00-b", "2026-11-21T03:00:00-a", Day3)
            .BackupOf("2026-11-21T03:00:00-b")
            .BackupOf("2026-11-21T03:00:00-a")
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { "2026-11-21T03:00:00-b" }));
    }

    // Nothing to do

    [Test]
    public void Nothing_new_to_send_is_a_skip_that_names_the_newest_snapshot()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).BackupOf(Day1).BackupOf(Day2).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(plan.HasWork, Is.False);
        Assert.That(plan.SkipReason, Is.EqualTo($"nothing new to send: {Day2} is backed up and no newer snapshot is waiting"));
    }

    [Test]
    public void No_snapshots_is_a_skip()
    {
        var inventory = new InventoryBuilder().Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(plan.HasWork, Is.False);
        Assert.That(plan.SkipReason, Is.EqualTo("there are no snapshots to send"));
    }

    [Test]
    public void No_snapshots_is_a_skip_whatever_the_target_holds()
    {
        var inventory = new InventoryBuilder()
            .ForeignInSnapshotDir("scratch")
            .BackupFromOtherSource(Day1)
            .BackupOf(Day2)
            .ForeignOnTarget("lost+found")
            .Recorded()
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.HasWork, Is.False);
        Assert.That(plan.SkipReason, Is.EqualTo("there are no snapshots to send"));
    }

    // Unreachable targets

    [TestCase(TargetStatus.NotConfigured)]
    [TestCase(TargetStatus.Missing)]
    [TestCase(TargetStatus.NotBtrfs)]
    [TestCase(TargetStatus.OnSourceFilesystem)]
    public void An_unreachable_target_gets_no_sends_and_the_skip_says_why(TargetStatus status)
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2).TargetStatus(status).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(plan.HasWork, Is.False);
        Assert.That(plan.SkipReason, Is.Not.Null.And.Not.Empty);
        Assert.That(plan.SkipReason, Is.EqualTo(inventory.TargetStatusReason));
    }

    [TestCase(TargetStatus.NotConfigured)]
    [TestCase(TargetStatus.Missing)]
    [TestCase(TargetStatus.NotBtrfs)]
    [TestCase(TargetStatus.OnSourceFilesystem)]
    public void The_target_status_alone_stops_sends_even_with_a_listing_of_the_target(TargetStatus status)
    {
        // Everything that would make work or fail the plan on a reachable target: new snapshots,
        // an incomplete receive to delete and a different subvolume under a name to send.
        var reachable = new InventoryBuilder()
            .Snapshots(Day1, Day2, Day3, Day4)
            .BackupOf(Day1)
            .IncompleteReceive(Day2)
            .BackupFromOtherSource(Day4)
            .Build();
        var inventory = reachable with { TargetStatus = status, TargetStatusReason = $"the target is {status}" };

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.Cleanup, Is.Empty);
        Assert.That(plan.SkipReason, Is.EqualTo($"the target is {status}"));
    }

    // Command lines

    [Test]
    public void An_incremental_send_renders_as_send_with_its_parent_piped_to_receive()
    {
        var inventory = new InventoryBuilder("home").Snapshots(Day1, Day2).BackupOf(Day1).Build();

        var send = SendPlanner.Plan(inventory).Sends.Single();

        Assert.That(
            send.CommandLine,
            Is.EqualTo($"btrfs send -p /snapshots/home/{Day1} /snapshots/home/{Day2} | btrfs receive /backup/home"));
    }

    [Test]
    public void A_full_send_renders_as_send_without_parent_piped_to_receive()
    {
        var inventory = new InventoryBuilder("home").Snapshot(Day1).Build();

        var send = SendPlanner.Plan(inventory).Sends.Single();

        Assert.That(send.CommandLine, Is.EqualTo($"btrfs send /snapshots/home/{Day1} | btrfs receive /backup/home"));
    }

    // Writable subvolumes in the snapshot directory

    [Test]
    public void A_writable_subvolume_with_a_snapshot_name_is_not_sent_nor_a_parent()
    {
        var inventory = new InventoryBuilder()
            .Snapshots(Day1, Day3)
            .WritableSnapshot(Day2)
            .BackupOf(Day1)
            .Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(SentNames(plan), Is.EqualTo(new[] { Day3 }));
        Assert.That(ParentNames(plan), Is.EqualTo(new string?[] { Day1 }));
    }

    [Test]
    public void A_writable_newest_subvolume_leaves_nothing_new_to_send()
    {
        var inventory = new InventoryBuilder().Snapshot(Day1).WritableSnapshot(Day2).BackupOf(Day1).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.SkipReason, Does.StartWith("nothing new to send: ").And.Contains(Day1));
    }

    [Test]
    public void Only_writable_subvolumes_means_no_snapshots_to_send()
    {
        var inventory = new InventoryBuilder().WritableSnapshot(Day1).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends, Is.Empty);
        Assert.That(plan.SkipReason, Is.EqualTo("there are no snapshots to send"));
    }

    [Test]
    public void Plan_refuses_a_null_inventory()
    {
        Assert.Throws<ArgumentNullException>(() => SendPlanner.Plan(null!));
    }

    private static string[] SentNames(SendPlan plan) =>
        plan.Sends.Select(send => send.Snapshot.Name.ToString()).ToArray();

    private static string?[] ParentNames(SendPlan plan) =>
        plan.Sends.Select(send => send.Parent?.Name.ToString()).ToArray();

    [Test]
    public void The_second_send_of_a_batch_names_the_snapshot_sent_just_before_it_as_its_parent()
    {
        var inventory = new InventoryBuilder().Snapshots(Day1, Day2, Day3).BackupOf(Day1).Build();

        var plan = SendPlanner.Plan(inventory);

        Assert.That(plan.Sends[1].Reason, Is.EqualTo($"incremental: from {Day2}, sent just before it"));
    }
}
