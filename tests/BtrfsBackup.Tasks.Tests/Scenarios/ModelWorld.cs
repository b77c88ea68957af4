using System.Security.Cryptography;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Tests.Model;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>The scenarios' machine as an in-memory <see cref="BtrfsModel"/>: no root, no disks, nothing to clean up.</summary>
internal sealed class ModelWorld : ScenarioWorld
{
    /// <summary>The process id the model's runs hold their locks under.</summary>
    public const int ProcessId = 4242;

    public ModelWorld()
    {
        Machine.CreateDirectory(SystemDisk);
        System = Machine.AddFilesystem("system", SystemDisk);
        Machine.CreateDirectory(BackupDisk);
        Backup = Machine.AddFilesystem("backup", BackupDisk);
        ModelHost = new ModelHost(Machine);
        Locks = new ModelLocks(LockTable, ProcessId);
    }

    public BtrfsModel Machine { get; } = new();

    public ModelFilesystem System { get; }

    public ModelFilesystem Backup { get; }

    public ModelLockTable LockTable { get; } = new();

    /// <summary>The locks of this world's own "process"; another process is another <see cref="ModelLocks"/> on <see cref="LockTable"/>.</summary>
    public ModelLocks Locks { get; }

    public ModelHost ModelHost { get; }

    public override string Name => "model";

    public override string SystemDisk => Path.Combine(Scratch, "fs0");

    public override string Scratch => "/tmp/btrfsbackup-model";

    public override IBtrfsHost Host => ModelHost;

    public override ITransferRunner Transfers { get; } = new ModelTransfer();

    public override bool IsPlugged => Backup.MountPoint is not null;

    public override void CreateSubvolume(string path) => Machine.CreateSubvolume(path);

    public override void CreateDirectory(string path) => Machine.CreateDirectory(path);

    public override void CreateSymlink(string path, string target) => Machine.CreateSymlink(path, target);

    public override void WriteFile(string path, string content) => Machine.WriteFile(path, content);

    public override void WriteRandomFile(string path, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        Machine.WriteFile(path, data);
    }

    public override void AppendFile(string path, string content) => Machine.AppendFile(path, content);

    public override void DeleteFile(string path) => Machine.DeleteFile(path);

    public override void SnapshotReadOnly(string source, string destination) => Machine.Snapshot(source, destination, readOnly: true);

    public override void MakeWritable(string subvolume) => Machine.SetReadOnly(subvolume, readOnly: false, force: true);

    public override void Unplug() => Machine.Unmount(Backup);

    public override void Plug() => Machine.Mount(Backup, BackupDisk);

    public override void KillNextReceive() => Machine.Faults.KillNextReceive();

    public override SortedDictionary<string, string> Digests(string directory) =>
        new(Machine.Files(directory).ToDictionary(file => file.Key, file => Convert.ToHexString(SHA256.HashData(file.Value))), StringComparer.Ordinal);

    public override IReadOnlyList<string> Names(string directory) => Machine.Names(directory);

    public override SubvolumeInfo? Show(string path)
    {
        try
        {
            return ModelHost.Info(path, Machine.ShowSubvolume(path));
        }
        catch (ModelCommandException)
        {
            return null;
        }
    }

    public override RunEnvironment At(DateTimeOffset instant, TimeZoneInfo zone) => new()
    {
        Host = ModelHost,
        Transfers = Transfers,
        Locks = Locks,
        Clock = new FixedClock(instant, zone),
    };

    public override void Dispose()
    {
        // Nothing outside memory.
    }
}
