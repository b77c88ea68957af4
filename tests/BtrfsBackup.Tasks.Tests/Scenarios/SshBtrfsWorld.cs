using System.Globalization;
using System.Text.RegularExpressions;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using BtrfsBackup.Remote;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>
/// The scenarios' machine on real btrfs, reached over ssh: the same sandbox and loop-mounted disks as
/// <see cref="RealBtrfsWorld"/> (which it builds on), with an <see cref="SshServer"/> of its own on
/// 127.0.0.1, so that "the remote machine" is this one and the world can look at it directly.
/// <see cref="Host"/> is an <see cref="SshBtrfsHost"/> through that server; <see cref="Transfers"/>
/// is the run's own dispatcher (<see cref="BtrfsBackup.Hosts.Transfers"/>), which goes through ssh whenever one
/// side is remote.
/// </summary>
/// <remarks>
/// Transfers push: they send from this machine (<see cref="Sender"/> is the local host) and receive
/// on the remote one, as a laptop backing up to a server does. In scenarios the pairs' sources and
/// snapshot directories are local and their targets remote (<c>TargetAccess</c>), and each run reaches
/// them through its own <see cref="RemoteHosts"/>, opened and closed by the run, as in production.
/// Disposing closes the world's connection, stops its sshd (by pid) and then disposes the sandbox.
/// </remarks>
internal sealed partial class SshBtrfsWorld : ScenarioWorld
{
    private readonly RealBtrfsWorld disks;
    private readonly SshServer server;
    private readonly SshConnection connection;
    private bool killNextReceive;

    public SshBtrfsWorld()
    {
        disks = new RealBtrfsWorld();
        SshServer? started = null;
        try
        {
            started = SshServer.Start(Path.Combine(disks.Scratch, "sshd"));
            Access = new SshAccess(
                new SshEndpoint("root", started.Host, started.Port),
                started.ClientKey,
                [$"UserKnownHostsFile={started.KnownHosts}", "GlobalKnownHostsFile=/dev/null"],
                Sudo: false);
            // A runtime directory of its own: a run's RemoteHosts for the same access would otherwise share its control socket.
            connection = new SshConnection(Access, new RuntimeDirectory(Path.Combine(disks.Scratch, "world-run")));
            server = started;
        }
        catch
        {
            started?.Dispose();
            disks.Dispose();
            throw;
        }

        Host = new SshBtrfsHost(connection);
        Transfers = new Transfers(new LocalTransfer(Runtime), Runtime);
    }

    /// <summary>How the tool reaches this world's "remote" machine: root on 127.0.0.1 with the server's key and known_hosts.</summary>
    public SshAccess Access { get; }

    public override string Name => "real btrfs over ssh";

    public override string SystemDisk => disks.SystemDisk;

    public override string Scratch => disks.Scratch;

    public override IBtrfsHost Host { get; }

    public override ITransferRunner Transfers { get; }

    public override IBtrfsHost Sender => LocalBtrfsHost.Instance;

    public override bool IsPlugged => disks.IsPlugged;

    private RuntimeDirectory Runtime => disks.Sandbox.Runtime;

    public override void CreateSubvolume(string path) => disks.CreateSubvolume(path);

    public override void CreateDirectory(string path) => disks.CreateDirectory(path);

    public override void CreateSymlink(string path, string target) => disks.CreateSymlink(path, target);

    public override void WriteFile(string path, string content) => disks.WriteFile(path, content);

    public override void WriteRandomFile(string path, int bytes, int seed) => disks.WriteRandomFile(path, bytes, seed);

    public override void AppendFile(string path, string content) => disks.AppendFile(path, content);

    public override void DeleteFile(string path) => disks.DeleteFile(path);

    public override void SnapshotReadOnly(string source, string destination) => disks.SnapshotReadOnly(source, destination);

    public override void MakeWritable(string subvolume) => disks.MakeWritable(subvolume);

    public override void Unplug() => disks.Unplug();

    public override void Plug() => disks.Plug();

    public override void KillNextReceive() => killNextReceive = true;

    public override SortedDictionary<string, string> Digests(string directory) => disks.Digests(directory);

    public override IReadOnlyList<string> Names(string directory) => disks.Names(directory);

    public override SubvolumeInfo? Show(string path) => disks.Show(path);

    /// <summary>This machine as a run sees it, with ssh: the sandbox's runtime directory, its own <see cref="RemoteHosts"/> (closed by the run) and the clock at <paramref name="instant"/>.</summary>
    public override RunEnvironment At(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var machine = disks.Sandbox.Now();
        var transfers = killNextReceive ? new ReceiveKiller(Transfers, disks.Sandbox) : Transfers;
        killNextReceive = false;
        return new RunEnvironment
        {
            Host = machine.Host,
            Transfers = transfers,
            Locks = machine.Locks,
            Clock = new FixedClock(instant, zone),
            Runtime = machine.Runtime,
            Remote = machine.Remote,
        };
    }

    // Wording only, each chosen so that a message says which machine, and each taken out exactly:
    // - a failed remote command is named with the machine it ran on: "`btrfs subvolume show X on ssh://root@127.0.0.1:PORT` failed ...";
    // - a failed transfer names the local ssh process that carried the remote command, its whole command
    //   line (options, key, control socket) shell-quoted once more as one word:
    //   "`'ssh -o ... -- 127.0.0.1 '\''btrfs receive X'\''' on ssh://...` failed ..." stands for "`btrfs receive X` failed ...";
    // - the tool names a remote location as the user wrote it: ssh://root@127.0.0.1:PORT/path.
    // The exit code and whatever btrfs or the tool said are compared as they are.
    public override string Normalize(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var endpoint = Access.Endpoint.ToString();
        var named = message.Replace($" on {endpoint}`", "`", StringComparison.Ordinal);
        return SshCarrying().Replace(named, "`${command}`").Replace($"{endpoint}/", "/", StringComparison.Ordinal);
    }

    protected override BackupPair Locate(BackupPair pair) => pair.Target is null ? pair : pair with { TargetAccess = Access };

    public override void Dispose()
    {
        try
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            try
            {
                server.Dispose();
            }
            finally
            {
                disks.Dispose();
            }
        }
    }

    // The ssh command line (as a single quoted word) that ran one remote command on this world's server; no quotes inside the command.
    [GeneratedRegex(@"`'ssh [^`]* -- 127\.0\.0\.1 '\\''(?<command>[^'`]+)'\\'''`")]
    private static partial Regex SshCarrying();

    /// <summary>
    /// The next transfer, with its receive cut off (SIGKILL to the ssh that carries it) once the stream has
    /// begun: the tool's transfer barrier holds it after the first chunk and lists the transfer's processes,
    /// so only the pid the run itself named is touched and no race decides it.
    /// </summary>
    private sealed class ReceiveKiller(ITransferRunner transfers, BtrfsSandbox sandbox) : ITransferRunner
    {
        public async Task<TransferResult> RunAsync(TransferRequest request, Action<long, TimeSpan>? progress, CancellationToken cancellation)
        {
            var hold = TransferHold.Arm(sandbox);
            Task<TransferResult> transfer;
            try
            {
                transfer = transfers.RunAsync(request, progress, cancellation);
                if (await hold.WaitUntilHeldAsync(transfer))
                {
                    // The run names the ssh that carries the receive at the barrier: killing it ends the remote receive.
                    ChildProcess.Kill(hold.ProcessOf("ssh "));
                }
            }
            finally
            {
                hold.Disarm();
            }

            return await transfer;
        }

        public string Describe(TransferRequest request) => transfers.Describe(request);
    }
}
