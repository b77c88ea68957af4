using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>
/// The scenarios' machine on real btrfs: a <see cref="BtrfsSandbox"/> with the system disk and the
/// backup disk loop-mounted inside it, the real <see cref="LocalBtrfsHost"/> and <see cref="LocalTransfer"/>,
/// and the sandbox's own runtime directory for locks and FIFOs. Disposing unmounts and detaches both.
/// </summary>
internal sealed class RealBtrfsWorld : ScenarioWorld
{
    private const int DiskSizeMiB = 512;
    private readonly BtrfsSandbox sandbox;
    private readonly MountedImage backup;
    private bool killNextReceive;

    public RealBtrfsWorld()
    {
        sandbox = BtrfsSandbox.Create(count: 1, sizeMiB: DiskSizeMiB);
        try
        {
            Directory.CreateDirectory(BackupDisk);
            backup = sandbox.AddFilesystem("backup", DiskSizeMiB, BackupDisk);
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    public override string Name => "real btrfs";

    /// <summary>The sandbox the disks are in: its root, runtime directory and transfer barrier (for <see cref="SshBtrfsWorld"/>, which builds on this world).</summary>
    internal BtrfsSandbox Sandbox => sandbox;

    public override string SystemDisk => sandbox.Filesystems[0].MountPoint;

    public override string Scratch => sandbox.Root;

    public override IBtrfsHost Host => LocalBtrfsHost.Instance;

    public override ITransferRunner Transfers => new LocalTransfer(sandbox.Runtime);

    public override bool IsPlugged => backup.IsMounted;

    public override void CreateSubvolume(string path) => BtrfsSandbox.CreateSubvolume(path);

    public override void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public override void CreateSymlink(string path, string target) => File.CreateSymbolicLink(path, target);

    public override void WriteFile(string path, string content) => File.WriteAllText(path, content);

    public override void WriteRandomFile(string path, int bytes, int seed) => Files.WriteRandom(path, bytes, seed);

    public override void AppendFile(string path, string content) => File.AppendAllText(path, content);

    public override void DeleteFile(string path) => File.Delete(path);

    public override void SnapshotReadOnly(string source, string destination) => Shell.Run("btrfs", "subvolume", "snapshot", "-r", source, destination);

    public override void MakeWritable(string subvolume) => Shell.Run("btrfs", "property", "set", "-f", "-ts", subvolume, "ro", "false");

    public override void Unplug() => BtrfsSandbox.Unmount(backup);

    public override void Plug() => BtrfsSandbox.Mount(backup);

    public override void KillNextReceive() => killNextReceive = true;

    public override SortedDictionary<string, string> Digests(string directory) =>
        Directory.Exists(directory) ? Files.Digests(directory) : new(StringComparer.Ordinal);

    public override IReadOnlyList<string> Names(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFileSystemEntries(directory).Select(entry => Path.GetFileName(entry)).Order(StringComparer.Ordinal)]
            : [];

    public override SubvolumeInfo? Show(string path)
    {
        var shown = Shell.TryRun("btrfs", "subvolume", "show", path);
        return shown.ExitCode == 0 ? SubvolumeShowParser.Parse(path, shown.StandardOutput) : null;
    }

    public override RunEnvironment At(DateTimeOffset instant, TimeZoneInfo zone)
    {
        if (!killNextReceive)
        {
            return sandbox.At(instant, zone);
        }

        // The receive is stopped the moment it starts, then killed: cut short whatever the machine's speed.
        killNextReceive = false;
        var killed = false;
        return sandbox.At(instant, zone, (_, receive) =>
        {
            if (!killed)
            {
                killed = true;
                ChildProcess.Kill(ChildProcess.Stop(receive));
            }
        });
    }

    public override void Dispose() => sandbox.Dispose();
}
