using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Naming;
using BtrfsBackup.Remote;
using BtrfsBackup.Scanning;

namespace BtrfsBackup.Restore;

/// <summary>
/// Reads what a pair has to restore from, without needing its source: the source disk may be the one
/// that died. Snapshots: read-only, one of our names, taken here (no Received UUID). Backups:
/// read-only, one of our names, received; and when the target keeps a record, recorded as the pair's
/// or received from one of its snapshots. A side that cannot be read is noted, not fatal.
/// </summary>
internal static class RestoreCopies
{
    internal sealed record Found(IReadOnlyList<RestoreCopy> Copies, IReadOnlyList<string> Unreadable);

    public static async Task<Found> ReadAsync(BackupPair pair, RunEnvironment environment, TimeZoneInfo zone, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(environment);
        var copies = new List<RestoreCopy>();
        var unreadable = new List<string>();
        var sourceHost = environment.HostFor(pair.SourceAccess);
        var snapshots = await ChildrenAsync(sourceHost, pair.SnapshotDir, $"snapshot_dir {pair.SnapshotDirLocation}", unreadable, cancellation);
        if (snapshots is { } found)
        {
            copies.AddRange(found.Subvolumes
                .Where(subvolume => subvolume.IsReadOnly && subvolume.ReceivedUuid is null)
                .Select(subvolume => Copy(subvolume, onTarget: false, sourceHost, found.Filesystem, zone))
                .OfType<RestoreCopy>());
        }

        if (pair.Target is { } target)
        {
            var targetHost = environment.HostFor(pair.TargetAccess);
            var backups = await ChildrenAsync(targetHost, target, $"target {pair.TargetLocation}", unreadable, cancellation);
            if (backups is { } there)
            {
                var recordPath = TargetRecord.PathIn(target);
                var record = await targetHost.ReadRecordAsync(recordPath, cancellation) is { } text ? TargetRecord.Parse(text, recordPath) : null;
                var snapshotUuids = copies.Select(copy => copy.Snapshot.Uuid).ToHashSet();
                copies.AddRange(there.Subvolumes
                    .Where(subvolume => subvolume.IsReadOnly && subvolume.ReceivedUuid is { } received
                        && (record is null || record.IsRecordedBackup(subvolume.Uuid) || record.HasSent(received) || snapshotUuids.Contains(received)))
                    .Select(subvolume => Copy(subvolume, onTarget: true, targetHost, there.Filesystem, zone))
                    .OfType<RestoreCopy>());
            }
        }

        return new Found(copies, unreadable);
    }

    private static RestoreCopy? Copy(SubvolumeInfo subvolume, bool onTarget, IBtrfsHost host, MountedFilesystem filesystem, TimeZoneInfo zone) =>
        SnapshotName.TryParse(subvolume.Name, zone, out var name) ? new RestoreCopy(new Snapshot(name, subvolume), onTarget, host, filesystem) : null;

    private static async Task<(IReadOnlyList<SubvolumeInfo> Subvolumes, MountedFilesystem Filesystem)?> ChildrenAsync(
        IBtrfsHost host, string directory, string what, List<string> unreadable, CancellationToken cancellation)
    {
        try
        {
            var state = await host.InspectAsync(directory, cancellation);
            if (!state.IsDirectory)
            {
                unreadable.Add($"{what} does not exist (is its disk mounted?)");
                return null;
            }

            var filesystem = await host.FindFilesystemAsync(state.RealPath!, cancellation);
            if (!filesystem.IsBtrfs)
            {
                unreadable.Add($"{what} is on {filesystem.Type}, not btrfs (is its disk mounted?)");
                return null;
            }

            var inside = (await host.ListSubvolumesAsync(filesystem, cancellation))
                .Where(subvolume => Path.GetDirectoryName(subvolume.Path) == state.RealPath)
                .Select(subvolume => subvolume with { Path = Path.Combine(directory, subvolume.Name) })
                .ToList();
            return (inside, filesystem);
        }
        catch (SshUnreachableException e)
        {
            unreadable.Add($"{what} cannot be reached: {e.Message}");
            return null;
        }
    }
}
