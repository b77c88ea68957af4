using BtrfsBackup.Configuration;
using BtrfsBackup.Remote;

namespace BtrfsBackup.Tests.Remote;

/// <summary>How what ssh and the remote side print becomes a failure and a message a user can act on.</summary>
[TestFixture]
public sealed class SshFailureTests
{
    private static readonly SshAccess Access = new(new SshEndpoint("backup", "server.example", 2222), "/root/.ssh/backup_key", [], Sudo: true);

    [Test]
    public void A_remote_pipeline_that_ends_0_after_btrfs_reported_an_error_has_failed()
    {
        // A remote shell without pipefail: `btrfs send | zstd` ends with zstd's 0 after send died mid-stream.
        Assert.That(SshTransfer.Failed(0, "At subvol /snaps/x\nERROR: send ioctl failed with -5: Input/output error\n", remote: true), Is.True);
        Assert.That(SshTransfer.Failed(0, "zstd: /*stdin*\\: unexpected end of file \n", remote: true), Is.True);
    }

    [Test]
    public void A_remote_stage_that_only_talked_has_not_failed()
    {
        Assert.That(SshTransfer.Failed(0, "At subvol /snaps/2026-11-01T03:00:00+00:00\n", remote: true), Is.False);
        Assert.That(SshTransfer.Failed(0, "At snapshot x\nnote: an ERROR: inside a line is not btrfs's prefix\n", remote: true), Is.False);
    }

    [Test]
    public void A_local_stage_is_judged_by_its_exit_code_alone()
    {
        Assert.That(SshTransfer.Failed(0, "ERROR: printed by a process whose status we see\n", remote: false), Is.False);
        Assert.That(SshTransfer.Failed(1, string.Empty, remote: false), Is.True);
    }

    [Test]
    public void A_silent_ssh_failure_says_the_command_was_killed_or_the_connection_dropped()
    {
        var message = SshFailure.Explain(Access, SshFailure.SshItself, "\n");

        Assert.That(message, Does.Contain("backup@server.example:2222").And.Contain("killed, or the connection to it dropped"));
        Assert.That(SshFailure.IsUnreachable(SshFailure.SshItself, string.Empty), Is.False, "a dropped session is not a machine that is away");
    }

    [Test]
    public void An_unknown_host_key_says_how_to_add_it_with_the_port()
    {
        var message = SshFailure.Explain(Access, SshFailure.SshItself, "No ED25519 host key is known for [server.example]:2222 and you have requested strict checking.\nHost key verification failed.\n");

        Assert.That(message, Does.Contain("ssh-keyscan -p 2222 server.example >> /root/.ssh/known_hosts"));
    }

    [Test]
    public void A_refused_login_names_the_key_and_the_user()
    {
        var message = SshFailure.Explain(Access, SshFailure.SshItself, "backup@server.example: Permission denied (publickey).\n");

        Assert.That(message, Does.Contain("/root/.ssh/backup_key").And.Contain("backup's authorized_keys"));
        Assert.That(SshFailure.IsUnreachable(SshFailure.SshItself, "backup@server.example: Permission denied (publickey).\n"), Is.False);
    }

    [Test]
    public void Only_a_failed_connect_is_unreachable()
    {
        const string Refused = "ssh: connect to host server.example port 2222: Connection refused\n";

        Assert.That(SshFailure.IsUnreachable(SshFailure.SshItself, Refused), Is.True);
        Assert.That(SshFailure.Explain(Access, SshFailure.SshItself, Refused), Does.Contain("cannot be reached").And.Contain("port 2222"));
        Assert.That(SshFailure.IsUnreachable(1, Refused), Is.False, "the remote command's own failure, whatever it printed");
    }

    [Test]
    public void A_remote_command_failure_with_its_own_message_is_left_to_that_message()
    {
        Assert.That(SshFailure.Explain(Access, 1, "ERROR: cannot find parent subvolume\n"), Is.Null);
    }
}
