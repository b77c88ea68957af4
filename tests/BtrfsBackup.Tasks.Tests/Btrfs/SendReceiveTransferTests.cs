using BtrfsBackup.Btrfs;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Btrfs;

[TestFixture]
[Category("RealBtrfs")]
public sealed class SendReceiveTransferTests : RealBtrfsFixture
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private string source = null!;
    private string snapshots = null!;
    private string target = null!;

    [SetUp]
    public void CreatePair()
    {
        source = BtrfsSandbox.CreateSubvolume(Path.Combine(Sandbox.Filesystems[0].MountPoint, "home"));
        snapshots = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[0].MountPoint, "snapshots")).FullName;
        target = Directory.CreateDirectory(Path.Combine(Sandbox.Filesystems[1].MountPoint, "backup")).FullName;
    }

    [Test]
    public async Task Full_then_incremental_send_arrive_with_received_uuids_and_count_their_bytes()
    {
        File.WriteAllBytes(Path.Combine(source, "big.bin"), RandomBytes(4 << 20));
        var first = Snapshot("s1");
        File.WriteAllText(Path.Combine(source, "small.txt"), "a small change");
        var second = Snapshot("s2");

        var full = await SendReceiveTransfer.RunAsync(first, null, target, null, Tick, default);
        var incremental = await SendReceiveTransfer.RunAsync(second, first, target, null, Tick, default);

        Assert.That(full.Bytes, Is.GreaterThan(4 << 20));
        Assert.That(incremental.Bytes, Is.GreaterThan(0).And.LessThan(full.Bytes / 10));
        var firstBackup = await BtrfsAdapter.ShowSubvolumeAsync(Path.Combine(target, "s1"), default);
        var secondBackup = await BtrfsAdapter.ShowSubvolumeAsync(Path.Combine(target, "s2"), default);
        Assert.That(firstBackup.ReceivedUuid, Is.EqualTo((await BtrfsAdapter.ShowSubvolumeAsync(first, default)).Uuid));
        Assert.That(secondBackup.ReceivedUuid, Is.EqualTo((await BtrfsAdapter.ShowSubvolumeAsync(second, default)).Uuid));
        Assert.That(secondBackup.ParentUuid, Is.EqualTo(firstBackup.Uuid), "an incremental receive is made from its parent's backup");
        Assert.That(File.ReadAllText(Path.Combine(target, "s2", "small.txt")), Is.EqualTo("a small change"));
    }

    [Test]
    public async Task A_receive_that_cannot_start_fails_with_its_command_and_stderr_and_does_not_hang()
    {
        var snapshot = Snapshot("s1");
        var missing = Path.Combine(target, "does-not-exist");

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            SendReceiveTransfer.RunAsync(snapshot, null, missing, null, Tick, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));

        Assert.That(error!.Message, Does.Contain("`btrfs receive -f").And.Contain("failed with exit code"));
    }

    [Test]
    public async Task A_send_that_cannot_start_fails_with_its_command_and_does_not_hang()
    {
        var writable = BtrfsSandbox.CreateSubvolume(Path.Combine(snapshots, "writable"));

        var error = await Assert.ThrowsAsync<BackupException>(() =>
            SendReceiveTransfer.RunAsync(writable, null, target, null, Tick, new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));

        Assert.That(error!.Message, Does.Contain("`btrfs send -f").And.Contain("failed with exit code"));
    }

    [Test]
    public async Task A_send_that_fails_before_opening_its_stream_does_not_leave_the_transfer_hanging()
    {
        var snapshot = Snapshot("s1");
        var transfer = SendReceiveTransfer.RunAsync(snapshot, Path.Combine(snapshots, "no-such-parent"), target, null, Tick, default);

        var finished = await Task.WhenAny(transfer, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.That(finished, Is.SameAs(transfer), "the transfer hung");
        var error = await Assert.ThrowsAsync<BackupException>(() => transfer);
        Assert.That(error!.Message, Does.Contain("`btrfs send -p").And.Contain("failed with exit code"));
    }

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
