using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Tests.Support;

/// <summary>A host that passes every call on and writes down which it was: what a scan costs, in commands, whatever the machine's speed.</summary>
internal sealed class CountingHost(IBtrfsHost inner) : IBtrfsHost
{
    private readonly List<string> calls = [];

    public IReadOnlyList<string> Calls => calls;

    public string Name => inner.Name;

    /// <summary>Scans the pair on this machine and returns what the scan asked for, each call with the path it named.</summary>
    public static async Task<(PairInventory Inventory, IReadOnlyList<string> Calls)> ScanAsync(BackupPair pair)
    {
        var host = new CountingHost(LocalBtrfsHost.Instance);
        var inventory = await new PairScanner(host).ScanAsync(pair, ScanScope.Of(pair, TimeZoneInfo.Local), default);
        return (inventory, host.calls);
    }

    public Task<PathState> InspectAsync(string path, CancellationToken cancellation) => Count($"Inspect {path}", inner.InspectAsync(path, cancellation));

    public Task<MountedFilesystem> FindFilesystemAsync(string existingPath, CancellationToken cancellation) =>
        Count($"FindFilesystem {existingPath}", inner.FindFilesystemAsync(existingPath, cancellation));

    public Task<SubvolumeInfo> ShowSubvolumeAsync(string path, CancellationToken cancellation) => Count($"ShowSubvolume {path}", inner.ShowSubvolumeAsync(path, cancellation));

    public Task<IReadOnlyList<SubvolumeInfo>> ListSubvolumesAsync(MountedFilesystem filesystem, CancellationToken cancellation) =>
        Count($"ListSubvolumes {filesystem.MountPoint}", inner.ListSubvolumesAsync(filesystem, cancellation));

    public Task SyncFilesystemAsync(string path, CancellationToken cancellation) => Count($"SyncFilesystem {path}", inner.SyncFilesystemAsync(path, cancellation));

    public Task CreateReadOnlySnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        Count($"CreateReadOnlySnapshot {destination}", inner.CreateReadOnlySnapshotAsync(source, destination, cancellation));

    public Task CreateWritableSnapshotAsync(string source, string destination, CancellationToken cancellation) =>
        Count($"CreateWritableSnapshot {destination}", inner.CreateWritableSnapshotAsync(source, destination, cancellation));

    public Task DeleteSubvolumeAsync(string path, CancellationToken cancellation) => Count($"DeleteSubvolume {path}", inner.DeleteSubvolumeAsync(path, cancellation));

    public Task CreateDirectoryAsync(string path, CancellationToken cancellation) => Count($"CreateDirectory {path}", inner.CreateDirectoryAsync(path, cancellation));

    public Task<string?> ReadRecordAsync(string path, CancellationToken cancellation) => Count($"ReadRecord {path}", inner.ReadRecordAsync(path, cancellation));

    public Task WriteRecordAsync(string path, string content, CancellationToken cancellation) => Count($"WriteRecord {path}", inner.WriteRecordAsync(path, content, cancellation));

    private T Count<T>(string call, T result)
    {
        calls.Add(call);
        return result;
    }
}
