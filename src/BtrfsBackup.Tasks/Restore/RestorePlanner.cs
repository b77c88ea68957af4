using BtrfsBackup.Btrfs;
using BtrfsBackup.Naming;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;

namespace BtrfsBackup.Restore;

/// <summary>The pure part of a restore: which copy, and how it reaches the requested path.</summary>
internal static class RestorePlanner
{
    /// <summary>
    /// The copy the request names: by the instant (and suffix) in its name, compared as an instant, or
    /// the newest for <c>latest</c>. With both sides allowed, a snapshot in the snapshot_dir wins over
    /// its backup (nothing to transfer).
    /// </summary>
    /// <exception cref="BackupException">No copy, or more than one on a side, has that name; the message lists what there is.</exception>
    public static RestoreCopy Choose(IReadOnlyList<RestoreCopy> copies, RestoreRequest request, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(copies);
        ArgumentNullException.ThrowIfNull(request);
        var allowed = copies.Where(copy => request.From switch
        {
            RestoreSide.SnapshotDir => !copy.OnTarget,
            RestoreSide.Target => copy.OnTarget,
            _ => true,
        }).ToList();
        var where = request.From switch
        {
            RestoreSide.SnapshotDir => "in the snapshot_dir",
            RestoreSide.Target => "on the target",
            _ => "in the snapshot_dir or on the target",
        };
        if (allowed.Count == 0)
        {
            throw new BackupException($"there is no snapshot {where} to restore from");
        }

        List<RestoreCopy> named;
        if (string.Equals(request.Snapshot, RestoreRequest.Latest, StringComparison.Ordinal))
        {
            var newest = allowed.Max(copy => copy.Snapshot.Name.Instant);
            named = allowed.Where(copy => copy.Snapshot.Name.Instant == newest).ToList();
        }
        else if (SnapshotName.TryParse(request.Snapshot, zone, out var wanted))
        {
            named = allowed.Where(copy => copy.Snapshot.Name.Instant == wanted.Instant && copy.Snapshot.Name.Suffix == wanted.Suffix).ToList();
        }
        else
        {
            throw new BackupException($"--snapshot={request.Snapshot} is not a snapshot name (as `list` shows them, e.g. 2026-11-26T03:00:00+01:00) nor '{RestoreRequest.Latest}'");
        }

        var preferred = named.Where(copy => !copy.OnTarget).ToList() is { Count: > 0 } local ? local : named;
        return preferred.Count switch
        {
            1 => preferred[0],
            0 => throw new BackupException(
                $"no snapshot {request.Snapshot} {where}; there are: {string.Join(", ", allowed.Select(copy => copy.Snapshot.Name.ToString()).Distinct().Order(StringComparer.Ordinal))}"),
            _ => throw new BackupException(
                $"{request.Snapshot} names more than one copy: {string.Join(", ", preferred)}; name one exactly, with its suffix"),
        };
    }

    /// <summary>
    /// The plan for <paramref name="copy"/> to become <paramref name="to"/> on <paramref name="destinationHost"/>, on
    /// <paramref name="destination"/> (whose subvolumes are <paramref name="destinationSubvolumes"/>).
    /// A transfer is incremental from the nearest other copy on the same side whose content the
    /// destination already holds (a subvolume there with that stream identity as UUID or Received UUID),
    /// older ones first; else full.
    /// </summary>
    public static RestorePlan Plan(
        RestoreCopy copy,
        IReadOnlyList<RestoreCopy> copies,
        Hosts.IBtrfsHost destinationHost,
        string to,
        MountedFilesystem destination,
        IReadOnlyList<SubvolumeInfo> destinationSubvolumes,
        bool keepReceived)
    {
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(copies);
        ArgumentNullException.ThrowIfNull(destinationSubvolumes);
        if (ReferenceEquals(copy.Host, destinationHost) && copy.Filesystem.IsSameFilesystemAs(destination))
        {
            return new RestorePlan(copy, to, null, null, keepReceived);
        }

        var present = destinationSubvolumes.Where(subvolume => subvolume.IsReadOnly)
            .SelectMany(subvolume => new[] { subvolume.Uuid, subvolume.ReceivedUuid })
            .OfType<Guid>()
            .ToHashSet();
        var relatives = copies.Where(other => other.OnTarget == copy.OnTarget && other != copy && present.Contains(other.StreamIdentity)).ToList();
        var parent = relatives.Where(other => other.Snapshot.IsOlderThan(copy.Snapshot)).OrderByDescending(other => other.Snapshot, Snapshot.Chronological).FirstOrDefault()
            ?? relatives.Where(other => copy.Snapshot.IsOlderThan(other.Snapshot)).OrderBy(other => other.Snapshot, Snapshot.Chronological).FirstOrDefault();
        return new RestorePlan(copy, to, parent, Path.GetDirectoryName(to)!, keepReceived);
    }
}
