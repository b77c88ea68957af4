using BtrfsBackup.Configuration;

namespace BtrfsBackup.Tests.Support;

/// <summary>The usual layout on a sandbox: source and snapshots on fs0, backups on fs1.</summary>
internal static class PairLayout
{
    public static BackupPair Create(BtrfsSandbox sandbox, string name = "home", bool withTarget = true)
    {
        var system = sandbox.Filesystems[0].MountPoint;
        var source = BtrfsSandbox.CreateSubvolume(Path.Combine(system, name));
        File.WriteAllText(Path.Combine(source, "hello.txt"), $"hello from {name}\n");
        string? target = null;
        if (withTarget)
        {
            target = Path.Combine(sandbox.Filesystems[1].MountPoint, "backup", name);
            Directory.CreateDirectory(target);
        }

        return new BackupPair(
            name,
            source,
            Path.Combine(system, ".snapshots", name),
            target,
            new RetentionPolicy(7, 10),
            new RetentionPolicy(60, 30));
    }
}
