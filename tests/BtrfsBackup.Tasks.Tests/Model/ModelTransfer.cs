using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;

namespace BtrfsBackup.Tests.Model;

/// <summary>
/// <c>btrfs send [-p PARENT] SNAPSHOT | btrfs receive DIRECTORY</c> between model machines, with the
/// rules of both ends: the send needs read-only subvolumes; the receive needs its directory on a
/// mounted btrfs filesystem, the name free, and for an incremental stream a subvolume on that
/// filesystem received from the parent (else "cannot find parent subvolume"). The backup is made
/// writable (empty, or a snapshot of that parent's backup), filled, then given its Received UUID and
/// made read-only, so a receive cut short leaves what a real one leaves. Failures carry the messages
/// <see cref="LocalTransfer"/> reports; faults armed on the receiving machine (<see cref="ModelFaults"/>)
/// are taken here.
/// </summary>
internal sealed class ModelTransfer : ITransferRunner
{
    /// <summary>How a killed process's exit code reads (128 + SIGKILL).</summary>
    private const int Killed = 137;

    public Task<TransferResult> RunAsync(TransferRequest request, Action<long, TimeSpan>? progress, CancellationToken cancellation)
    {
        try
        {
            return Task.FromResult(Run(request, cancellation));
        }
        catch (Exception e)
        {
            return Task.FromException<TransferResult>(e);
        }
    }

    private static TransferResult Run(TransferRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.From is not ModelHost from || request.To is not ModelHost to)
        {
            throw new BackupException($"a transfer from {request.From.Name} to {request.To.Name} is not one this machine can run by itself");
        }

        // Stopped before it started: both processes are told to stop at once.
        cancellation.ThrowIfCancellationRequested();
        var receive = BtrfsCommand.Receive(request.TargetDirectory);
        SendStream stream;
        Received backup;
        lock (from.Machine.Gate)
        {
            lock (to.Machine.Gate)
            {
                var (sendFailure, sent) = Send(from.Machine, request);
                var directoryFailure = CheckDirectory(to.Machine, request.TargetDirectory);
                if (sendFailure is not null || directoryFailure is not null)
                {
                    // A send refused on its own side leaves the receive an empty stream; a receive refused
                    // at once leaves the send a broken pipe, which is not reported (the receive is the cause).
                    var failures = new[]
                    {
                        sendFailure is null ? null : Failure(BtrfsCommand.Send(request.Snapshot, request.Parent), 1, sendFailure),
                        Failure(receive, 1, directoryFailure ?? "ERROR: empty stream is not considered valid"),
                    };
                    throw new BackupException(string.Join(" ", failures.OfType<string>()));
                }

                stream = sent!;
                backup = BeginReceive(to.Machine, stream, request.TargetDirectory, receive);
            }
        }

        switch (to.Machine.Faults.Take())
        {
            case { Interrupt: null }:
                throw new BackupException(Failure(receive, Killed, string.Empty));
            case { Interrupt: { } interrupt }:
                interrupt();
                cancellation.ThrowIfCancellationRequested();
                throw new InvalidOperationException("the armed interruption did not cancel the transfer's token");
        }

        lock (to.Machine.Gate)
        {
            backup.Subvolume.Root.Children.Clear();
            foreach (var (name, entry) in stream.Content.Children)
            {
                backup.Subvolume.Root.Children[name] = entry;
            }

            // The last commands of a stream: the Received UUID, then read-only.
            backup.Subvolume.ReceivedUuid = stream.Uuid;
            backup.Subvolume.IsReadOnly = true;
            backup.Filesystem.Commit(backup.Subvolume);
        }

        return new TransferResult(stream.Bytes, TimeSpan.Zero);
    }

    // What `btrfs send` puts in the stream, or why it refuses (its stderr).
    private static (string? Failure, SendStream? Stream) Send(BtrfsModel machine, TransferRequest request)
    {
        var (failure, snapshot, snapshotPath) = SendSide(machine, request.Snapshot, "subvolume");
        if (failure is not null)
        {
            return (failure, null);
        }

        ModelSubvolume? parent = null;
        if (request.Parent is not null)
        {
            (failure, parent, _) = SendSide(machine, request.Parent, "parent subvolume");
            if (failure is not null)
            {
                return (failure, null);
            }
        }

        // A stream names a subvolume by its Received UUID when it has one (a backup sent on), else by its UUID.
        var content = snapshot!.Root.CopyContent();
        return (null, new SendStream(
            Path.GetFileName(snapshotPath),
            snapshot.ReceivedUuid ?? snapshot.Uuid,
            parent is null ? null : parent.ReceivedUuid ?? parent.Uuid,
            content,
            Size(content, parent?.Root)));
    }

    private static (string? Failure, ModelSubvolume? Subvolume, string Path) SendSide(BtrfsModel machine, string path, string role)
    {
        var at = machine.Find(path);
        if (!at.Exists)
        {
            return ($"ERROR: unable to resolve {path}", null, path);
        }

        if (!at.Filesystem.IsBtrfs || at.SubvolumeRoot is null)
        {
            return ($"ERROR: failed to get flags for subvolume {at.Path}: {Errno.Invalid}", null, at.Path);
        }

        return at.SubvolumeRoot.IsReadOnly ? (null, at.SubvolumeRoot, at.Path) : ($"ERROR: {role} {at.Path} is not read-only", null, at.Path);
    }

    // What `btrfs receive` says before it reads the stream, about its directory.
    private static string? CheckDirectory(BtrfsModel machine, string directory)
    {
        var at = machine.Find(directory);
        return !at.Exists ? $"ERROR: realpath({directory}) failed: {at.Errno}"
            : at.Entry is not ModelDirectory ? $"ERROR: cannot chdir to {directory}: {Errno.NotDirectory}"
            : !at.Filesystem.IsBtrfs ? $"ERROR: {directory} doesn't belong to btrfs mount point"
            : null;
    }

    // The stream's first command: a new subvolume, or a snapshot of the parent's backup, writable until the end.
    private static Received BeginReceive(BtrfsModel machine, SendStream stream, string directory, BtrfsCommand receive)
    {
        var into = machine.Find(directory);
        var filesystem = into.Filesystem;
        ModelSubvolume? parentBackup = null;
        if (stream.ParentUuid is { } parentUuid)
        {
            var candidates = filesystem.Subvolumes().Select(found => found.Subvolume).ToList();
            parentBackup = candidates.FirstOrDefault(subvolume => subvolume.ReceivedUuid == parentUuid)
                ?? candidates.FirstOrDefault(subvolume => subvolume.Uuid == parentUuid)
                ?? throw new BackupException(Failure(receive, 1, "ERROR: cannot find parent subvolume"));
        }

        var folder = (ModelDirectory)into.Entry!;
        var refused = filesystem.IsReadOnly || into.SubvolumeInside?.IsReadOnly == true ? Errno.ReadOnly
            : folder.Children.ContainsKey(stream.Name) ? Errno.Exists
            : filesystem.IsFull ? Errno.NoSpace
            : null;
        if (refused is not null)
        {
            // btrfs receive says which subvolume it is at before it creates it.
            var (kind, at) = parentBackup is null ? ("subvolume", "subvol") : ("snapshot", "snapshot");
            throw new BackupException(Failure(receive, 1, $"At {at} {stream.Name}\nERROR: creating {kind} {stream.Name} failed: {refused}"));
        }

        var root = parentBackup?.Root.CopyContent() ?? new ModelDirectory();
        var created = filesystem.NewSubvolume(root, parentBackup?.Uuid, receivedUuid: null, readOnly: false);
        folder.Children[stream.Name] = root;
        if (into.SubvolumeInside is { } holder)
        {
            holder.Generation = created.Generation;
        }

        if (parentBackup is not null)
        {
            // Snapshotted in that transaction, as btrfs snapshots any source.
            parentBackup.Generation = created.Generation;
        }

        return new Received(filesystem, created);
    }

    // Bytes in the stream: every file's content for a full send, the new or changed files' for an incremental one.
    private static long Size(ModelDirectory content, ModelDirectory? parent)
    {
        var before = parent?.Files().ToDictionary(file => file.Path, file => file.File.Content, StringComparer.Ordinal) ?? [];
        return content.Files()
            .Where(file => !before.TryGetValue(file.Path, out var old) || !old.AsSpan().SequenceEqual(file.File.Content))
            .Sum(file => (long)file.File.Content.Length);
    }

    private static string Failure(BtrfsCommand command, int exitCode, string standardError) =>
        new ExternalCommandException(command.ToString(), exitCode, standardError).Message;

    /// <summary>A send stream: the subvolume's name and UUID, the parent's UUID for an incremental one, and the content.</summary>
    private sealed record SendStream(string Name, Guid Uuid, Guid? ParentUuid, ModelDirectory Content, long Bytes);

    private sealed record Received(ModelFilesystem Filesystem, ModelSubvolume Subvolume);
}
