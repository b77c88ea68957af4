using BtrfsBackup.Btrfs;
using BtrfsBackup.Planning;

namespace BtrfsBackup.Restore;

/// <summary>
/// How a copy becomes a writable subvolume at the requested path: a snapshot of it when it is on that
/// filesystem already; otherwise a receive beside that path (incremental from <see cref="Parent"/> when
/// the destination holds a relative), then a writable snapshot of what was received, whose read-only
/// copy is deleted unless the user keeps it.
/// </summary>
public sealed record RestorePlan(RestoreCopy Copy, string To, RestoreCopy? Parent, string? ReceiveDirectory, bool KeepReceived)
{
    /// <summary>Whether the copy has to be sent to the destination's filesystem first.</summary>
    public bool Transfers => ReceiveDirectory is not null;

    /// <summary>Where the received read-only copy lands (it keeps the copy's name); null without a transfer.</summary>
    public string? ReceivedPath => ReceiveDirectory is null ? null : Path.Combine(ReceiveDirectory, Copy.Snapshot.Subvolume.Name);

    /// <summary>What the writable snapshot is taken of: the received copy, or the copy itself where it already is on the destination's filesystem.</summary>
    public string SnapshotSource => ReceivedPath ?? Copy.Snapshot.Path;

    /// <summary>The writable snapshot that is the restore itself.</summary>
    public PlannedStep Snapshot =>
        new(BtrfsCommand.CreateWritableSnapshot(SnapshotSource, To), $"the restored subvolume, writable, from {Copy}");

    /// <summary>The received copy, deleted at the end unless kept.</summary>
    public PlannedStep? Cleanup =>
        ReceivedPath is { } received && !KeepReceived
            ? new PlannedStep(BtrfsCommand.DeleteSubvolume(received), "the read-only copy received on the way is not needed once the restore is made (keep it with --keep-received)")
            : null;
}
