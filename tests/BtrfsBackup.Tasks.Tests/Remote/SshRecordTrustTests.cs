using BtrfsBackup.Hosts;
using BtrfsBackup.Tests.Scenarios;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Remote;

/// <summary>
/// A record on a remote machine steers what the tool does there as root (which backups are its own,
/// which receive it may delete), so it is read only when root (or the ssh user) owns it and no one
/// else may write it, as on this machine; and it is written through no symlink planted beside it.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("Ssh")]
public sealed class SshRecordTrustTests
{
    private const string RecordName = ".btrfsbackup-target.json";
    private const uint Nobody = 65534;
    private SshBtrfsWorld world = null!;

    private string Record => Path.Combine(world.SystemDisk, RecordName);

    [SetUp]
    public void CreateWorld() => world = new SshBtrfsWorld();

    [TearDown]
    public void RemoveWorld() => world.Dispose();

    [Test]
    public async Task A_record_another_user_owns_is_refused_on_both_machines()
    {
        world.WriteFile(Record, "{}\n");
        File.SetUnixFileMode(Record, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Chown(Record, Nobody);

        var remote = await Assert.ThrowsAsync<BackupException>(() => world.Host.ReadRecordAsync(Record, default));
        var local = await Assert.ThrowsAsync<BackupException>(() => LocalBtrfsHost.Instance.ReadRecordAsync(Record, default));

        Assert.That(remote!.Message, Does.Contain($"{Record} on {world.Access.Endpoint} is owned by nobody with mode 600").And.Contain("chown root"));
        Assert.That(local!.Message, Does.Contain($"owned by uid {Nobody}"));
    }

    [Test]
    public async Task A_record_others_may_write_is_refused_and_one_of_roots_alone_is_read()
    {
        world.WriteFile(Record, "{\"of\": \"root\"}\n");
        File.SetUnixFileMode(Record, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);

        var refused = await Assert.ThrowsAsync<BackupException>(() => world.Host.ReadRecordAsync(Record, default));
        File.SetUnixFileMode(Record, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.That(refused!.Message, Does.Contain("is owned by root with mode 660").And.Contain("chmod go-w"));
        Assert.That(await world.Host.ReadRecordAsync(Record, default), Is.EqualTo("{\"of\": \"root\"}\n"));
    }

    [Test]
    public async Task A_record_is_written_private_and_never_through_a_symlink_planted_at_its_temporary_name()
    {
        var victim = Path.Combine(world.Scratch, "victim");
        File.WriteAllText(victim, "not the tool's\n");
        File.CreateSymbolicLink($"{Record}.tmp", victim);

        // The one-command write (logged in as root) uses a temporary name of its own, made with O_EXCL: the planted link is neither followed nor removed.
        await world.Host.WriteRecordAsync(Record, "{}\n", default);

        Assert.That(File.ReadAllText(victim), Is.EqualTo("not the tool's\n"));
        Assert.That(File.ResolveLinkTarget($"{Record}.tmp", returnFinalTarget: false)?.FullName, Is.EqualTo(victim), "the planted link is left as it was");
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(Record)!, "*.tmp"), Is.EqualTo(new[] { $"{Record}.tmp" }), "no temporary file of the tool's is left");
        Assert.That(File.GetUnixFileMode(Record), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(await world.Host.ReadRecordAsync(Record, default), Is.EqualTo("{}\n"));
    }

    private static void Chown(string path, uint owner) =>
        Shell.Run("chown", owner.ToString(System.Globalization.CultureInfo.InvariantCulture), path);
}
