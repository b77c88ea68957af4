using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Configuration;

[TestFixture]
public sealed class RemoteLocationTests
{
    private const string PushAndPull = """
        [defaults]
        ssh_identity = "/root/.ssh/backup_ed25519"
        ssh_options = ["ConnectTimeout=10"]

        [pairs.laptop]
        source = "/home"
        snapshot_dir = "/.snapshots/home"
        target = "ssh://backup@nas.example:2222/srv/backup/laptop/"
        ssh_sudo = true
        stream_compress = "zstd"
        stream_compress_level = 7
        rate_limit = 5000000

        [pairs.web1]
        source = "ssh://web1.example/srv"
        snapshot_dir = "ssh://web1.example//.snapshots/srv"
        target = "/mnt/backup/web1"
        ssh_options = ["Ciphers=aes128-gcm@openssh.com", "ConnectTimeout=5"]
        """;

    [Test]
    public void A_push_pair_has_a_remote_target_and_a_local_source()
    {
        var pair = ConfigurationLoader.Parse(PushAndPull, "remote.toml").Pairs.Single(pair => pair.Name == "laptop");

        Assert.Multiple(() =>
        {
            Assert.That(pair.SourceAccess, Is.Null);
            Assert.That(pair.Target, Is.EqualTo("/srv/backup/laptop"));
            Assert.That(pair.TargetLocation, Is.EqualTo("ssh://backup@nas.example:2222/srv/backup/laptop"));
            Assert.That(pair.TargetAccess, Is.EqualTo(new SshAccess(new SshEndpoint("backup", "nas.example", 2222), "/root/.ssh/backup_ed25519", ["ConnectTimeout=10"], Sudo: true)));
            Assert.That(pair.Stream, Is.EqualTo(new StreamOptions(7, 5_000_000)));
        });
    }

    [Test]
    public void A_pull_pair_has_its_source_and_snapshot_dir_on_one_remote_machine_and_its_own_options()
    {
        var pair = ConfigurationLoader.Parse(PushAndPull, "remote.toml").Pairs.Single(pair => pair.Name == "web1");

        Assert.Multiple(() =>
        {
            Assert.That(pair.SourceAccess, Is.EqualTo(new SshAccess(new SshEndpoint(null, "web1.example", null), "/root/.ssh/backup_ed25519", ["Ciphers=aes128-gcm@openssh.com", "ConnectTimeout=5"], Sudo: false)));
            Assert.That(pair.SnapshotDir, Is.EqualTo("/.snapshots/srv"));
            Assert.That(pair.SourceLocation, Is.EqualTo("ssh://web1.example/srv"));
            Assert.That(pair.TargetAccess, Is.Null);
            Assert.That(pair.Stream, Is.EqualTo(StreamOptions.Plain));
        });
    }

    [Test]
    public void The_same_path_on_two_machines_is_two_directories()
    {
        const string Text = """
            [pairs.a]
            source = "/home"
            snapshot_dir = "/.snapshots/home"
            target = "ssh://nas1.example/srv/backup"

            [pairs.b]
            source = "/srv"
            snapshot_dir = "/.snapshots/srv"
            target = "ssh://nas2.example/srv/backup"
            """;

        Assert.That(ConfigurationLoader.Parse(Text, "two.toml").Pairs, Has.Count.EqualTo(2));
    }

    [TestCase("ssh://[::1]:22/srv/x", null, "[::1]", 22)]
    [TestCase("SSH://u-1.x@host-a.example/srv/x", "u-1.x", "host-a.example", null)]
    [TestCase("ssh://10.0.0.7/srv/x", null, "10.0.0.7", null)]
    public void Endpoints_are_read_as_ssh_writes_them(string location, string? user, string host, int? port)
    {
        Assert.That(SshEndpoint.TrySplit(location, out var endpoint, out var path), Is.Null);
        Assert.Multiple(() =>
        {
            Assert.That(endpoint, Is.EqualTo(new SshEndpoint(user, host, port)));
            Assert.That(path, Is.EqualTo("/srv/x"));
        });
    }
}
