using BtrfsBackup.Linux;
using BtrfsBackup.Remote;
using BtrfsBackup.Tests.Scenarios;

namespace BtrfsBackup.Tests.Remote;

/// <summary>
/// A run opens each machine's connection as it starts, so that the handshake overlaps its first
/// local work: the commands that follow must use that very connection, and a connection that could
/// not be opened must fail the first command exactly as it did without opening ahead.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("Ssh")]
public sealed class SshConnectAheadTests
{
    private SshBtrfsWorld world = null!;

    [SetUp]
    public void CreateWorld() => world = new SshBtrfsWorld();

    [TearDown]
    public void RemoveWorld() => world.Dispose();

    [Test]
    public async Task The_commands_after_an_open_ahead_share_its_one_connection()
    {
        var host = (SshBtrfsHost)world.Host;
        host.Connection.OpenAhead();

        var states = await Task.WhenAll(host.InspectAsync(world.SystemDisk, default), host.InspectAsync(world.SystemDisk, default));

        Assert.That(states.Select(state => state.IsDirectory), Is.All.True);
        Assert.That(host.Connection.MastersStarted, Is.EqualTo(1));
    }

    [Test]
    public async Task A_connection_opened_ahead_that_fails_fails_the_first_command_as_it_would_have()
    {
        // A key the server does not know: the login is refused, whenever it is tried.
        var stranger = Path.Combine(world.Scratch, "stranger_key");
        await CliWrap.Cli.Wrap("ssh-keygen").WithArguments(["-q", "-t", "ed25519", "-N", "", "-f", stranger]).ExecuteAsync();
        var access = world.Access with { Identity = stranger };

        await using var plain = new SshConnection(access, new RuntimeDirectory(Path.Combine(world.Scratch, "run-plain")));
        var refusedPlain = await Assert.ThrowsAsync<BackupException>(() => new SshBtrfsHost(plain).InspectAsync(world.SystemDisk, default));
        await using var ahead = new SshConnection(access, new RuntimeDirectory(Path.Combine(world.Scratch, "run-ahead")));
        ahead.OpenAhead();
        var refusedAhead = await Assert.ThrowsAsync<BackupException>(() => new SshBtrfsHost(ahead).InspectAsync(world.SystemDisk, default));

        Assert.That(refusedAhead!.Message, Is.EqualTo(refusedPlain!.Message));
        Assert.That(refusedAhead.Message, Does.Contain(access.Endpoint.ToString()));
        Assert.That(ahead.MastersStarted, Is.EqualTo(1), "the first command took the outcome of the open ahead, not a second attempt");
    }
}
