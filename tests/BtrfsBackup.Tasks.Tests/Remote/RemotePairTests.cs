using System.Text;
using BtrfsBackup.Configuration;
using BtrfsBackup.Linux;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Remote;

/// <summary>
/// Push and pull pairs through a real sshd the test starts on 127.0.0.1, with a loop-device btrfs as
/// the "remote" disk; the btrfsbackup program as a user runs it, at fixed instants.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
[Category("Ssh")]
public sealed class RemotePairTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private SshServer server = null!;
    private BackupPair home = null!;

    [SetUp]
    public void StartServer()
    {
        server = SshServer.Start(Path.Combine(Sandbox.Root, "sshd"));
        home = PairLayout.Create(Sandbox) with { SourceRetention = new RetentionPolicy(0, 1), TargetRetention = new RetentionPolicy(0, 2) };
    }

    [TearDown]
    public void StopServer() => server.Dispose();

    [Test]
    public async Task Push_nightlies_send_incrementally_over_ssh_and_purge_both_sides_by_their_own_retention()
    {
        var config = WriteConfig(Remote(home, target: true));

        for (var night = 0; night < 4; night++)
        {
            File.WriteAllText(Path.Combine(home.Source, $"night-{night}.txt"), $"written on night {night}\n");
            var result = CakeAt(FirstNight.AddDays(night), "nightly", $"--config={config}");
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Contain($"'btrfs receive {home.Target}'"), "the receive runs on the far side of ssh");
            if (night > 0)
            {
                Assert.That(result.Output, Does.Contain("(incremental from "));
            }
        }

        var after = await Scans.OfAsync(home);
        Assert.That(after.SnapshotDir.Snapshots.Select(snapshot => snapshot.Name.ToString()), Is.EqualTo(new[] { "2026-11-04T03:00:00+00:00" }));
        Assert.That(after.Target!.Snapshots.Select(backup => backup.Name.ToString()), Is.EqualTo(new[] { "2026-11-03T03:00:00+00:00", "2026-11-04T03:00:00+00:00" }));
        Assert.That(after.Target.Snapshots[^1].ReceivedUuid, Is.EqualTo(after.SnapshotDir.Snapshots[^1].Uuid));
        Assert.That(File.ReadAllText(Path.Combine(home.Target!, "2026-11-04T03:00:00+00:00", "night-3.txt")), Is.EqualTo("written on night 3\n"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(Sandbox.Runtime.Root, "ssh")), Is.Empty, "the shared connection was closed");
    }

    [Test]
    public async Task Pull_nightlies_with_zstd_bring_a_remote_source_into_a_local_target()
    {
        var config = WriteConfig(Remote(home, source: true), "stream_compress = \"zstd\"", "stream_compress_level = 5");

        for (var night = 0; night < 2; night++)
        {
            Files.WriteRandom(Path.Combine(home.Source, $"data-{night}.bin"), 4 << 20, seed: night);
            var result = CakeAt(FirstNight.AddDays(night), "nightly", $"--config={config}");
            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Output, Does.Contain("| zstd -c -5' | zstd -d -c | btrfs receive"));
        }

        var after = await Scans.OfAsync(home);
        Assert.That(after.Target!.Snapshots, Has.Count.EqualTo(2));
        Assert.That(after.Target.Snapshots[^1].ReceivedUuid, Is.EqualTo(after.SnapshotDir.Snapshots[^1].Uuid));
        Assert.That(
            File.ReadAllBytes(Path.Combine(home.Target!, "2026-11-02T03:00:00+00:00", "data-1.bin")),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(home.Source, "data-1.bin"))));
    }

    [Test]
    public async Task A_remote_disk_that_is_not_mounted_skips_the_send_and_writes_nothing_there()
    {
        var config = WriteConfig(Remote(home, target: true));
        BtrfsSandbox.Unmount(Sandbox.Filesystems[1]);

        var result = CakeAt(FirstNight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"skipped   Send: target {server.Url(home.Target!, "root")} does not exist (is the backup disk mounted?)"));
        Assert.That((await Scans.OfAsync(home)).SnapshotDir.Snapshots, Has.Count.EqualTo(1), "the snapshot is still taken");
        Assert.That(Directory.GetFileSystemEntries(Sandbox.Filesystems[1].MountPoint), Is.Empty);
    }

    [Test]
    public async Task A_remote_target_left_on_the_servers_own_disk_when_its_backup_disk_is_gone_is_not_written_to()
    {
        var serverDisk = Sandbox.AddFilesystem("nas", 256);
        var usb = Sandbox.AddFilesystem("usb", 256, Directory.CreateDirectory(Path.Combine(serverDisk.MountPoint, "mnt", "usb")).FullName);
        home = home with { Target = Directory.CreateDirectory(Path.Combine(usb.MountPoint, "home")).FullName };
        var config = WriteConfig(Remote(home, target: true));
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.Zero);
        BtrfsSandbox.Unmount(usb);
        Directory.CreateDirectory(home.Target!);

        var result = CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("holds no record and none of the 1 backups sent before (is the backup disk mounted there?)"));
        Assert.That(Directory.GetFileSystemEntries(home.Target!), Is.Empty, "nothing is received onto the server's own disk");
        Assert.That((await Scans.OfAsync(home with { Target = null })).SnapshotDir.Snapshots, Has.Count.EqualTo(2), "the night's snapshot is taken and the unsent one kept");
    }

    [Test]
    public async Task A_remote_machine_that_cannot_be_reached_skips_the_send_like_an_unplugged_disk()
    {
        var config = WriteConfig(Remote(home, target: true));
        server.Stop();

        var result = CakeAt(FirstNight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain($"cannot be reached now: ssh://root@127.0.0.1:{server.Port} cannot be reached"));
        Assert.That((await Scans.OfAsync(home)).SnapshotDir.Snapshots, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_unknown_host_key_fails_the_pair_before_anything_is_sent_and_says_how_to_add_it()
    {
        var config = WriteConfig(Remote(home, target: true));
        File.WriteAllText(server.KnownHosts, string.Empty);

        var result = CakeAt(FirstNight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain($"the host key of ssh://root@127.0.0.1:{server.Port} is not known on this machine"));
        Assert.That(result.Output, Does.Contain($"ssh-keyscan -p {server.Port} 127.0.0.1 >> /root/.ssh/known_hosts"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Is.Empty);
    }

    [Test]
    public async Task A_changed_host_key_fails_the_pair_and_says_it_changed()
    {
        var config = WriteConfig(Remote(home, target: true));
        server.ChangeHostKey();

        var result = CakeAt(FirstNight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain($"the host key of ssh://root@127.0.0.1:{server.Port} has CHANGED"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Is.Empty);
    }

    [Test]
    public async Task Behind_the_forced_command_filter_nightlies_work_and_a_path_outside_its_prefix_is_refused()
    {
        var filter = Path.Combine(CakeCli.RepositoryRoot, "contrib", "ssh", "btrfsbackup-ssh-filter");
        server.AuthorizeRoot($"{filter} {Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup")}");
        var outside = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[1].MountPoint, "elsewhere", "work")).FullName;
        var work = PairLayout.Create(Sandbox, "work", withTarget: false) with { Target = outside };
        var config = WriteConfig(Remote(home, target: true) + Remote(work, target: true));

        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        File.WriteAllText(Path.Combine(home.Source, "more.txt"), "more\n");
        var second = CakeAt(FirstNight.AddDays(1), "nightly", "--pair=home", $"--config={config}");

        Assert.That(first.Output, Does.Contain("  home: succeeded"), first.ToString());
        Assert.That(first.Output, Does.Contain("the ssh filter on ssh://root@127.0.0.1"));
        Assert.That(first.Output, Does.Contain("  work: FAILED"));
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Contain("(incremental from 2026-11-01T03:00:00+00:00)"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Has.Count.EqualTo(2));
        Assert.That(Directory.GetFileSystemEntries(outside), Is.Empty);
    }

    [Test]
    public async Task Behind_a_filter_older_than_the_tool_paths_and_records_are_asked_about_one_step_at_a_time()
    {
        // The filter as 0.3.0 shipped it, before the record scripts and the two-path readlink: it refuses them,
        // and the tool falls back to the single commands.
        var filter = Path.Combine(CakeCli.RepositoryRoot, "contrib", "ssh", "btrfsbackup-ssh-filter");
        var scripts = "matches sh -c \"$record_read\" btrfsbackup-record {} || matches sh -c \"$record_write\" btrfsbackup-record {}";
        var twoPaths = "matches readlink -e -- {} {}";
        var text = File.ReadAllText(filter);
        Assert.That(text, Does.Contain(scripts).And.Contain(twoPaths), "the filter as this test edits it");
        var older = Path.Combine(Sandbox.Root, "older-filter");
        File.WriteAllText(older, text.Replace(scripts, "false", StringComparison.Ordinal).Replace(twoPaths, "false", StringComparison.Ordinal));
        File.SetUnixFileMode(older, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        server.AuthorizeRoot($"{older} {Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup")}");
        var config = WriteConfig(Remote(home, target: true));

        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        File.WriteAllText(Path.Combine(home.Source, "more.txt"), "more\n");
        var second = CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}");

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), $"{first}\n{second}");
        Assert.That(second.Output, Does.Contain("(incremental from 2026-11-01T03:00:00+00:00)"), "the target's record was read back");
        var record = Path.Combine(home.Target!, ".btrfsbackup-target.json");
        Assert.That(File.ReadAllText(record), Does.Contain((await Scans.OfAsync(home)).SnapshotDir.Snapshots[^1].Uuid.ToString()));
        Assert.That(File.GetUnixFileMode(record), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.GetFileSystemEntries(home.Target!, "*.tmp"), Is.Empty);
    }

    [Test]
    public async Task Pull_with_snapshot_when_changed_behind_the_filter_snapshots_a_remote_source_only_after_a_change()
    {
        var filter = Path.Combine(CakeCli.RepositoryRoot, "contrib", "ssh", "btrfsbackup-ssh-filter");
        server.AuthorizeRoot($"{filter} {Sandbox.Filesystems[0].MountPoint}");
        var config = WriteConfig(Remote(home, source: true), "snapshot_when = \"changed\"");

        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        var quiet = CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}");
        // Not synced here: the remote `btrfs filesystem sync` (which the filter allows) commits it.
        File.AppendAllText(Path.Combine(home.Source, "hello.txt"), "!");
        var changed = CakeAt(FirstNight.AddDays(2), "nightly", $"--config={config}");

        Assert.That((first.ExitCode, quiet.ExitCode, changed.ExitCode), Is.EqualTo((0, 0, 0)), $"{first}\n{quiet}\n{changed}");
        Assert.That(quiet.Output, Does.Contain("Snapshot: unchanged since 2026-11-01T03:00:00+00:00 (snapshot_when = \"changed\")"), quiet.ToString());
        Assert.That(changed.Output, Does.Contain("(incremental from 2026-11-01T03:00:00+00:00)"), changed.ToString());
        var after = await Scans.OfAsync(home);
        // The pair's own retention may purge the first snapshot once the third is sent: what matters is that no second one was taken.
        Assert.That(after.Target!.Snapshots.Select(backup => backup.Name.ToString()), Is.EqualTo(new[] { "2026-11-01T03:00:00+00:00", "2026-11-03T03:00:00+00:00" }));
    }

    [Test]
    public async Task A_remote_user_that_is_not_root_runs_btrfs_through_sudo_limited_to_the_tools_commands()
    {
        var user = SshServer.NewUserName();
        server.AddUser(user);
        server.Authorize(user);
        server.AllowSudo(user, "/usr/bin/btrfs, /usr/bin/findmnt, /usr/bin/readlink, /usr/bin/stat, /usr/bin/mkdir, /usr/bin/cat, /usr/bin/dd, /usr/bin/chmod, /usr/bin/mv, /usr/bin/flock");
        var config = WriteConfig(Remote(home, target: true, user: user), "ssh_sudo = true");

        var first = CakeAt(FirstNight, "nightly", $"--config={config}");
        File.WriteAllText(Path.Combine(home.Source, "more.txt"), "more\n");
        var second = CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Output, Does.Contain("'sudo -n btrfs receive"));
        Assert.That(second.ExitCode, Is.Zero, "the record written through sudo is read back as the tool's own: " + second);
        Assert.That(second.Output, Does.Contain("(incremental from 2026-11-01T03:00:00+00:00)"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Has.Count.EqualTo(2));
        var record = FileStatus.OfEntry(Path.Combine(home.Target!, ".btrfsbackup-target.json"))!;
        Assert.That((record.OwnerId, record.IsWritableByGroupOrOthers), Is.EqualTo((0u, false)));
    }

    [Test]
    public async Task Ssh_killed_mid_transfer_leaves_no_partial_backup_and_the_next_run_recovers()
    {
        Files.WriteRandom(Path.Combine(home.Source, "big.bin"), 32 << 20, seed: 7);
        var config = WriteConfig(Remote(home, target: true));
        var hold = TransferHold.Arm(Sandbox);
        var running = ProcessGroup.Start(CakeCli.RepositoryRoot, FakeClock.Environment(Sandbox, FirstNight, "UTC"), CakeCli.BuiltProgramPath, "nightly", $"--config={config}");
        Assert.That(await hold.WaitUntilHeldAsync(running.Exited), Is.True, () => $"the run reached its transfer: {running.Exited.Result.StandardOutput}");

        ChildProcess.Kill(hold.ProcessOf("ssh "));
        hold.Disarm();
        var killed = await running.Exited;

        Assert.That(killed.ExitCode, Is.Not.Zero);
        // Whether the far side had made the subvolume before its ssh died is a race this test does not
        // decide; either way nothing is taken for a backup, and what a late receive leaves is the next run's to remove.
        Assert.That(killed.StandardOutput, Does.Match(@"sending 2026-11-01T03:00:00\+00:00 failed; (the partial subvolume \S+ was deleted|nothing was left on the target)"));
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Is.Empty);

        var next = CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}");
        Assert.That(next.ExitCode, Is.Zero, next.ToString());
        var after = await Scans.OfAsync(home);
        Assert.That(after.Target!.Snapshots.Select(backup => backup.Name.ToString()), Is.EqualTo(new[] { "2026-11-01T03:00:00+00:00", "2026-11-02T03:00:00+00:00" }), "the night cut short is sent the next night, with the new one");
        Assert.That(after.Target.Snapshots[^1].ReceivedUuid, Is.EqualTo(after.SnapshotDir.Snapshots[^1].Uuid));
        Assert.That(after.Target.Incomplete, Is.Empty);
    }

    [Test]
    public async Task A_backup_on_the_remote_target_is_restored_here_incrementally_through_ssh()
    {
        var config = WriteConfig(Remote(home, target: true));
        File.WriteAllText(Path.Combine(home.Source, "first.txt"), "first\n");
        Assert.That(CakeAt(FirstNight, "nightly", $"--config={config}").ExitCode, Is.Zero);
        File.WriteAllText(Path.Combine(home.Source, "second.txt"), "second\n");
        Assert.That(CakeAt(FirstNight.AddDays(1), "nightly", $"--config={config}").ExitCode, Is.Zero);
        var to = Path.Combine(Sandbox.Filesystems[0].MountPoint, "home-restored");

        var result = CakeAt(FirstNight.AddDays(2), "restore", "--pair=home", "--snapshot=2026-11-01T03:00:00+00:00", $"--to={to}", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("'btrfs send -p ").And.Contain("(received incrementally from 2026-11-02T03:00:00+00:00)"));
        Assert.That(File.ReadAllText(Path.Combine(to, "first.txt")), Is.EqualTo("first\n"));
        Assert.That(File.Exists(Path.Combine(to, "second.txt")), Is.False, "the first night's state, not the newest");
        Assert.That((await Scans.OfAsync(home)).Target!.Snapshots, Has.Count.EqualTo(2), "the backups are only read");
    }

    [Test]
    public async Task A_lock_held_on_the_remote_directory_by_another_machine_stops_the_pair_and_touches_nothing()
    {
        var config = WriteConfig(Remote(home, target: true));
        using var otherMachine = DirectoryLockHolder.Start(home.Target!);

        var result = CakeAt(FirstNight, "nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain($"another run holds the lock on {home.Target} on ssh://root@127.0.0.1:{server.Port}"));
        Assert.That((await Scans.OfAsync(home)).SnapshotDir.Snapshots, Is.Empty);
    }

    // The pair as a user writes it with one side on the "remote" machine (this one, through sshd).
    private string Remote(BackupPair pair, bool source = false, bool target = false, string user = "root")
    {
        string Location(string path, bool remote) => ConfigFile.Quote(remote ? server.Url(path, user) : path);
        var text = new StringBuilder();
        text.AppendLine($"[pairs.{pair.Name}]");
        text.AppendLine($"source = {Location(pair.Source, source)}");
        text.AppendLine($"snapshot_dir = {Location(pair.SnapshotDir, source)}");
        text.AppendLine($"target = {Location(pair.Target!, target)}");
        text.AppendLine($"source_retention = {{ keep_days = {pair.SourceRetention!.KeepDays}, keep_count = {pair.SourceRetention.KeepCount} }}");
        text.AppendLine($"target_retention = {{ keep_days = {pair.TargetRetention!.KeepDays}, keep_count = {pair.TargetRetention.KeepCount} }}");
        return text.ToString();
    }

    private string WriteConfig(string pairs, params string[] defaults)
    {
        // These tests are about transfers, not staleness: no alarm (the stale tests are in Watching/).
        var text = new StringBuilder("[defaults]\nalert_after_days = 0\n");
        text.AppendLine($"ssh_identity = {ConfigFile.Quote(server.ClientKey)}");
        text.AppendLine($"ssh_options = [{ConfigFile.Quote($"UserKnownHostsFile={server.KnownHosts}")}, \"GlobalKnownHostsFile=/dev/null\"]");
        foreach (var line in defaults)
        {
            text.AppendLine(line);
        }

        text.AppendLine().Append(pairs);
        var path = Path.Combine(Sandbox.Root, "backup_config.toml");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    // Another machine's run holding the directory's lock, as the tool takes it there: flock(1) on the directory, around a cat.
    private sealed class DirectoryLockHolder : IDisposable
    {
        private readonly System.Diagnostics.Process holder;

        private DirectoryLockHolder(System.Diagnostics.Process holder) => this.holder = holder;

        public static DirectoryLockHolder Start(string directory)
        {
            var start = new System.Diagnostics.ProcessStartInfo("flock") { RedirectStandardInput = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(directory);
            start.ArgumentList.Add("cat");
            var holder = System.Diagnostics.Process.Start(start)!;
            holder.StandardInput.WriteLine("held");
            holder.StandardInput.Flush();
            Assert.That(holder.StandardOutput.ReadLine(), Is.EqualTo("held"), "the lock is held");
            return new DirectoryLockHolder(holder);
        }

        public void Dispose()
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
            holder.Dispose();
        }
    }
}
