using BtrfsBackup.Remote;
using BtrfsBackup.Tests.Scenarios;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Remote;

/// <summary>
/// A remote lock is a session of the run's shared connection: when that connection drops, the lock
/// is gone on the far side. The run must then stop working there rather than quietly reconnect and
/// go on without it.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("Ssh")]
public sealed class SshConnectionLossTests
{
    private SshBtrfsWorld world = null!;

    private SshBtrfsHost Host => (SshBtrfsHost)world.Host;

    [SetUp]
    public void CreateWorld() => world = new SshBtrfsWorld();

    [TearDown]
    public void RemoveWorld() => world.Dispose();

    [Test]
    public async Task A_connection_lost_while_a_remote_lock_is_held_is_not_reopened_until_the_lock_is_let_go()
    {
        var directory = world.SystemDisk;
        var held = await Host.LockAsync(directory, default);
        var master = Host.Connection.MasterProcessId ?? throw new InvalidOperationException("the lock opened no connection");

        await KillAndWaitAsync(master);
        var refused = await Assert.ThrowsAsync<BackupException>(() => Host.InspectAsync(directory, default));
        await held.DisposeAsync();

        Assert.That(refused!.Message, Does.Contain($"dropped while this run held the lock on {directory}"));
        Assert.That((await Host.InspectAsync(directory, default)).Kind, Is.Not.Null, "once the lost lock is let go, a new connection serves what needs no lock");
        await using var again = await Host.LockAsync(directory, default);
    }

    [Test]
    public async Task A_connection_lost_with_no_lock_held_is_opened_again()
    {
        _ = await Host.InspectAsync(world.SystemDisk, default);
        var master = Host.Connection.MasterProcessId ?? throw new InvalidOperationException("no connection was opened");

        await KillAndWaitAsync(master);

        Assert.That((await Host.InspectAsync(world.SystemDisk, default)).Kind, Is.Not.Null);
        Assert.That(Host.Connection.MasterProcessId, Is.Not.EqualTo(master));
    }

    // The master is this test process's own child: its end is reported as any child's, with no clock involved.
    private static async Task KillAndWaitAsync(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        ChildProcess.Kill(pid);
        await process.WaitForExitAsync();
    }
}
