using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BtrfsBackup.Linux;

/// <summary>
/// Reading and writing the small files the tool keeps (records, locks' folder, transfer folders) the
/// way a program running as root must: never through a symlink, never a file or folder another user
/// owns or may write, and every replacement atomic (written aside, synced, renamed into place).
/// </summary>
internal static class TrustedFiles
{
    /// <summary>The user the tool runs as (root in production); a trusted file or folder must be theirs.</summary>
    public static uint CurrentUserId { get; } = NativeMethods.EffectiveUserId();

    /// <summary>The content of a file the tool wrote, or null when there is none.</summary>
    /// <exception cref="BackupException">Something other than a regular file of ours stands there.</exception>
    public static string? ReadIfPresent(string path)
    {
        var descriptor = NativeMethods.Open(path, NativeMethods.ReadOnly | NativeMethods.NoFollow | NativeMethods.NonBlocking | NativeMethods.CloseOnExec);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == NativeMethods.NoSuchFile ? null : throw OpenFailure(path, error);
        }

        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        EnsureTrusted(path, FileStatus.OfDescriptor(descriptor, path), FileKind.RegularFile);
        using var stream = new FileStream(handle, FileAccess.Read);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>: a crash leaves the old file or the new one, never a mix.</summary>
    /// <param name="path">The file; a symlink or anything but a regular file standing there is refused.</param>
    /// <param name="content">The whole new content.</param>
    /// <param name="mode">The new file's mode: 0600 unless another program must read it (0644 for node_exporter's metrics).</param>
    public static void WriteAtomically(string path, string content, UnixFileMode? mode = null)
    {
        var folder = Path.GetDirectoryName(path) ?? "/";
        if (FileStatus.OfEntry(path) is { } existing && existing.Kind != FileKind.RegularFile)
        {
            throw new BackupException($"cannot write {path}: {existing.Kind.Describe()} stands there, not a file of ours");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var descriptor = NativeMethods.Open(
            temporary,
            NativeMethods.WriteOnly | NativeMethods.Create | NativeMethods.Exclusive | NativeMethods.NoFollow | NativeMethods.CloseOnExec,
            (uint)(mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite)));
        if (descriptor < 0)
        {
            throw new BackupException($"cannot write {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            // The umask may have taken bits the caller asked for (a reader such as node_exporter needs them).
            if (mode is { } wanted)
            {
                NativeMethods.ChangeMode(descriptor, (uint)wanted);
            }

            using (var stream = new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), FileAccess.Write))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces a symlink planted at path rather than following it.
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new BackupException($"cannot write {path}: {e.Message}", e);
        }

        SyncFolder(folder);
    }

    /// <summary>
    /// Adds whole lines to the end of <paramref name="path"/> (made with mode 0600 when missing) in one
    /// write(2) with O_APPEND, so a reader sees all of them or none, and concurrent writers never
    /// interleave. When the file does not end in a newline (a writer was killed mid-line), a newline
    /// goes first: the torn line stays a line of its own that readers skip, never merged with the new ones.
    /// </summary>
    public static void AppendLines(string path, string lines)
    {
        var descriptor = NativeMethods.Open(
            path,
            NativeMethods.ReadWrite | NativeMethods.Append | NativeMethods.Create | NativeMethods.NoFollow | NativeMethods.CloseOnExec,
            Convert.ToUInt32("600", 8));
        if (descriptor < 0)
        {
            throw OpenFailure(path, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        EnsureTrusted(path, FileStatus.OfDescriptor(descriptor, path), FileKind.RegularFile);
        var length = RandomAccess.GetLength(handle);
        var lastByte = new byte[1];
        var separator = length > 0 && NativeMethods.ReadAt(descriptor, lastByte, 1, length - 1) == 1 && lastByte[0] != '\n' ? "\n" : string.Empty;
        var bytes = Encoding.UTF8.GetBytes(separator + lines);
        for (var written = 0; written < bytes.Length;)
        {
            var count = NativeMethods.Write(descriptor, bytes.AsSpan(written), bytes.Length - written);
            if (count < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == NativeMethods.Interrupted)
                {
                    continue;
                }

                throw new BackupException($"cannot write {path}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            written += (int)count;
        }

        NativeMethods.Sync(descriptor);
    }

    /// <summary>
    /// A folder only the current user may change: made with mode 0700 when missing (its parent must
    /// exist); when present, it must be a real directory (not a symlink) of that user, writable by no one else.
    /// </summary>
    public static string EnsurePrivateFolder(string path)
    {
        if (FileStatus.OfEntry(path) is null)
        {
            try
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (IOException) when (FileStatus.OfEntry(path) is not null)
            {
                // Made by a concurrent run a moment ago: checked below like any existing folder.
            }
        }

        EnsureTrusted(path, FileStatus.OfEntry(path) ?? throw new BackupException($"{path} vanished while it was made"), FileKind.Directory);
        return path;
    }

    /// <exception cref="BackupException">The entry is not of <paramref name="kind"/>, or not the current user's alone.</exception>
    public static void EnsureTrusted(string path, FileStatus status, FileKind kind)
    {
        if (status.Kind != kind)
        {
            throw new BackupException($"{path} is {status.Kind.Describe()}, not {kind.Describe()}; refusing to use it");
        }

        if (status.OwnerId != CurrentUserId || status.IsWritableByGroupOrOthers)
        {
            throw new BackupException(
                $"{path} is {status.Describe()}: the tool uses only files and folders of its own user (uid {CurrentUserId}) that no one else may write " +
                $"(fix: chown {CurrentUserId} '{path}' && chmod go-w '{path}', after checking who made it)");
        }
    }

    private static BackupException OpenFailure(string path, int error) =>
        error == NativeMethods.TooManyLinks
            ? new BackupException($"{path} is a symlink; the tool does not follow symlinks for its own files")
            : new BackupException($"cannot open {path}: {Marshal.GetPInvokeErrorMessage(error)}");

    private static void SyncFolder(string folder)
    {
        var descriptor = NativeMethods.Open(folder, NativeMethods.ReadOnly | NativeMethods.DirectoryOnly | NativeMethods.CloseOnExec);
        if (descriptor >= 0)
        {
            NativeMethods.Sync(descriptor);
            NativeMethods.Close(descriptor);
        }
    }
}
