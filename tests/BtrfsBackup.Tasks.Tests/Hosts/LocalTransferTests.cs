using BtrfsBackup.Hosts;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Hosts;

[TestFixture]
[Category("RealBtrfs")]
public sealed class LocalTransferTests : RealBtrfsFixture
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private string source = null!;
    private string snapshots = null!;
    private string target = null!;
    private LocalTransfer transfers = null!;

    private static LocalBtrfsHost Host => LocalBtrfsHost.Instance;

    [SetUp]
    public void CreatePair()
    {
        source = BtrfsSandbox.CreateSubvolume(Path.Combine(Sandbox.Filesystems[0].MountPoint, "home"));
        snapshots = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[0].MountPoint, "snapshots")).FullName;
        target = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup")).FullName;
        transfers = new LocalTransfer(Sandbox.Runtime);
    }

    [Test]
    public async Task Full_then_incremental_send_arrive_with_received_uuids_and_count_their_bytes()
    {
        File.WriteAllBytes(Path.Combine(source, "big.bin"), RandomBytes(4 << 20));
        var first = Snapshot("s1");
        File.WriteAllText(Path.Combine(source, "small.txt"), "a small change");
        var second = Snapshot("s2");

        var full = await transfers.RunAsync(Request(first, null, target), null, default);
        var incremental = await transfers.RunAsync(Request(second, first, target), null, default);

        Assert.That(full.Bytes, Is.GreaterThan(4 << 20));
        Assert.That(incremental.Bytes, Is.GreaterThan(0).And.LessThan(full.Bytes / 10));
        var firstBackup = await Host.ShowSubvolumeAsync(Path.Combine(target, "s1"), default);
        var secondBackup = await Host.ShowSubvolumeAsync(Path.Combine(target, "s2"), default);
        Assert.That(firstBackup.ReceivedUuid, Is.EqualTo((await Host.ShowSubvolumeAsync(first, default)).Uuid));
        Assert.That(secondBackup.ReceivedUuid, Is.EqualTo((await Host.ShowSubvolumeAsync(second, default)).Uuid));
        Assert.That(secondBackup.ParentUuid, Is.EqualTo(firstBackup.Uuid), "an incremental receive is made from its parent's backup");
        Assert.That(File.ReadAllText(Path.Combine(target, "s2", "small.txt")), Is.EqualTo("a small change"));
    }

    [Test]
    public async Task A_receive_that_cannot_start_fails_with_its_command_and_stderr_and_does_not_hang()
    {
        var snapshot = Snapshot("s1");
        var missing = Path.Combine(target, "does-not-exist");

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            transfers.RunAsync(Request(snapshot, null, missing), null, HangGuard()));

        Assert.That(error!.Message, Does.Contain("`btrfs receive -f").And.Contain("failed with exit code"));
    }

    [Test]
    public async Task A_send_that_cannot_start_fails_with_its_command_and_does_not_hang()
    {
        var writable = BtrfsSandbox.CreateSubvolume(Path.Combine(snapshots, "writable"));

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            transfers.RunAsync(Request(writable, null, target), null, HangGuard()));

        Assert.That(error!.Message, Does.Contain("`btrfs send -f").And.Contain("failed with exit code"));
    }

    [Test]
    public async Task A_send_that_fails_before_opening_its_stream_does_not_leave_the_transfer_hanging()
    {
        var snapshot = Snapshot("s1");

        var error = await Assert.ThrowsAsync<BackupException>(() => transfers.RunAsync(Request(snapshot, Path.Combine(snapshots, "no-such-parent"), target), null, HangGuard()));

        Assert.That(error!.Message, Does.Contain("`btrfs send -p").And.Contain("failed with exit code"));
    }

    [Test]
    public async Task The_FIFO_folder_lives_in_the_runtime_directory_and_is_gone_afterwards()
    {
        var snapshot = Snapshot("s1");
        var seen = new List<string>();
        var watching = new LocalTransfer(Sandbox.Runtime) { ProcessesStarted = (_, _) => seen.AddRange(Directory.GetDirectories(Path.Combine(Sandbox.Runtime.Root, "transfers"))) };

        await watching.RunAsync(Request(snapshot, null, target), null, default);

        Assert.That(seen, Has.Count.EqualTo(1).And.All.StartsWith(Path.Combine(Sandbox.Runtime.Root, "transfers", "transfer-")));
        Assert.That(Directory.GetDirectories(Path.Combine(Sandbox.Runtime.Root, "transfers")), Is.Empty);
    }

    // Not a time limit the test depends on: should the transfer hang, the test fails (cancelled) instead of blocking the suite.
    private static CancellationToken HangGuard() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;

    private static TransferRequest Request(string snapshot, string? parent, string targetDirectory) =>
        new(Host, snapshot, parent, Host, targetDirectory) { ProgressInterval = Tick };

    private string Snapshot(string name)
    {
        var path = Path.Combine(snapshots, name);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", source, path);
        return path;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
