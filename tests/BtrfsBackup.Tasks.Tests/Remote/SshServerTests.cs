using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Remote;

/// <summary>The test sshd itself: what remote-location tests rely on it for.</summary>
[TestFixture]
[Category("Ssh")]
public sealed class SshServerTests
{
    private string folder = null!;
    private SshServer server = null!;
    private string testUser = null!;

    [SetUp]
    public void StartServer()
    {
        // A user of this test alone: no other test of this run or of a run beside it makes it.
        testUser = SshServer.NewUserName();
        folder = Directory.CreateTempSubdirectory("btrfsbackup-ssh-").FullName;
        server = SshServer.Start(Path.Combine(folder, "ssh"));
    }

    [TearDown]
    public void StopServer()
    {
        server.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public void Root_runs_commands_with_the_client_key_and_known_hosts()
    {
        var nothing = server.RunSsh("true");
        var hi = server.RunSsh("echo", "hi");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nothing.ExitCode, Is.Zero, nothing.StandardError);
            Assert.That(hi.ExitCode, Is.Zero, hi.StandardError);
            Assert.That(hi.StandardOutput, Is.EqualTo("hi\n"));
            Assert.That(hi.StandardError, Is.Empty);
            Assert.That(File.ReadAllText(server.KnownHosts), Does.StartWith($"[127.0.0.1]:{server.Port} ssh-ed25519 "));
        }
    }

    [Test]
    public void Server_lives_in_its_folder_on_the_loopback_interface()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.GetUnixFileMode(server.Folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(server.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(File.ReadAllText(server.PidFile).Trim(), Is.EqualTo(server.ProcessId.ToString(CultureInfo.InvariantCulture)));
            Assert.That(server.Url("/mnt/backup"), Is.EqualTo($"ssh://127.0.0.1:{server.Port}/mnt/backup"));
            Assert.That(server.Url("/mnt/backup", "backup"), Is.EqualTo($"ssh://backup@127.0.0.1:{server.Port}/mnt/backup"));
        }
    }

    [Test]
    public void A_forced_command_replaces_the_one_asked_for_and_sees_it_in_SSH_ORIGINAL_COMMAND()
    {
        server.AuthorizeRoot("echo \"forced: $SSH_ORIGINAL_COMMAND\"");

        var result = server.RunSsh("echo", "hi");

        Assert.That(result.StandardOutput, Is.EqualTo("forced: echo hi\n"), result.StandardError);
    }

    [Test]
    public void A_wrong_known_hosts_file_fails_host_key_verification()
    {
        var otherKey = Path.Combine(folder, "other_host_key");
        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-f", otherKey);
        var otherFields = File.ReadAllText(otherKey + ".pub").Split(' ');
        File.WriteAllText(server.KnownHosts, $"[127.0.0.1]:{server.Port} {otherFields[0]} {otherFields[1]}\n");

        var result = server.RunSsh("true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(255));
            Assert.That(result.StandardError, Does.Contain("Host key verification failed"));
        }
    }

    [Test]
    public void A_changed_host_key_on_the_same_port_is_refused_until_trusted()
    {
        var port = server.Port;
        var pid = server.ProcessId;

        server.ChangeHostKey();
        var refused = server.RunSsh("true");
        server.TrustHostKey();
        var accepted = server.RunSsh("true");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Port, Is.EqualTo(port));
            Assert.That(server.ProcessId, Is.Not.EqualTo(pid));
            Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the first sshd is still running");
            Assert.That(refused.ExitCode, Is.EqualTo(255));
            Assert.That(refused.StandardError, Does.Contain("REMOTE HOST IDENTIFICATION HAS CHANGED").And.Contain("Host key verification failed"));
            Assert.That(accepted.ExitCode, Is.Zero, accepted.StandardError);
        }
    }

    [Test]
    public void A_test_user_runs_through_sudo_only_what_its_rule_allows()
    {
        Assume.That(File.Exists("/usr/bin/btrfs"), "btrfs-progs is not installed");
        server.AddUser(testUser);
        server.AllowSudo(testUser, "/usr/bin/btrfs");

        var whoami = server.RunSshAs(testUser, "id", "-un");
        var btrfs = server.RunSshAs(testUser, "sudo", "-n", "btrfs", "--version");
        var id = server.RunSshAs(testUser, "sudo", "-n", "id");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whoami.StandardOutput, Is.EqualTo(testUser + "\n"), whoami.StandardError);
            Assert.That(whoami.StandardError, Is.Empty, "a test user's sessions should print nothing of their own on stderr");
            Assert.That(btrfs.ExitCode, Is.Zero, btrfs.StandardError);
            Assert.That(btrfs.StandardOutput, Does.StartWith("btrfs-progs"));
            Assert.That(btrfs.StandardError, Is.Empty);
            Assert.That(id.ExitCode, Is.Not.Zero);
            Assert.That(id.StandardOutput, Is.Empty);
            Assert.That(id.StandardError, Does.Contain("a password is required"));
        }
    }

    [Test]
    public async Task Stop_returns_at_once_and_leaves_open_sessions_running()
    {
        var session = Task.Run(() => server.RunSsh("sleep 3; echo still here"));
        while (!server.ReadLog().Contains("Accepted publickey for root", StringComparison.Ordinal) && !session.IsCompleted)
        {
            await Task.Delay(20);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Stop();
        var stopped = clock.Elapsed;
        var result = await session;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stopped, Is.LessThan(TimeSpan.FromSeconds(2)), "Stop waited for the open session");
            Assert.That(Accepts(server.Port), Is.False, "sshd still listens");
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput, Is.EqualTo("still here\n"));
        }
    }

    [Test]
    public void Dispose_stops_sshd_and_removes_the_users_and_sudoers_files_it_made()
    {
        server.AddUser(testUser);
        var sudoers = server.AllowSudo(testUser, "/usr/bin/btrfs");
        var pid = server.ProcessId;
        var port = server.Port;
        Assume.That(File.Exists(sudoers) && Shell.TryRun("getent", "passwd", testUser).ExitCode == 0);

        server.Dispose();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.IsRunning, Is.False);
            Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "sshd is still running");
            Assert.That(Accepts(port), Is.False, "something still listens on the server's port");
            Assert.That(Shell.TryRun("getent", "passwd", testUser).ExitCode, Is.EqualTo(2), "the test user is still there");
            Assert.That(Shell.TryRun("getent", "group", testUser).ExitCode, Is.EqualTo(2), "the test user's group is still there");
            Assert.That(File.Exists(sudoers), Is.False, "the sudoers file is still there");
        }
    }

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
