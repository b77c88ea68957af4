using System.Text;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Reporting;

/// <summary>
/// The run history: a file of JSON lines, one per pair and run (<see cref="RunRecord"/>), in a
/// folder only root may change. Each run's lines are added in one write, so a killed run leaves
/// the file as it was or with all its lines; a line torn some other way is skipped by the reader.
/// When an append would take the file past its size limit, it is first renamed to <c>FILE.1</c>
/// (replacing the previous one), so the history never holds more than twice the limit.
/// </summary>
internal static class RunHistory
{
    /// <summary>The file the history was rotated to.</summary>
    public static string RotatedFile(string path) => path + ".1";

    /// <summary>Adds the records' lines to the history at <paramref name="path"/>, making its folder (mode 0700) when missing.</summary>
    /// <exception cref="BackupException">The folder or file is not the tool's own (a symlink, another user's, writable by others), or cannot be written.</exception>
    public static void Append(string path, IReadOnlyList<RunRecord> records, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var folder = TrustedFiles.EnsurePrivateFolder(Path.GetDirectoryName(path) ?? "/");
        var lines = string.Concat(records.Select(record => record.ToJsonLine() + "\n"));
        // Two runs on different pairs may end at once: one rotates and appends at a time.
        using (FolderLock.Take(folder))
        {
            RotateIfFull(path, Encoding.UTF8.GetByteCount(lines), maxBytes);
            TrustedFiles.AppendLines(path, lines);
        }
    }

    /// <summary>Every record the history holds, oldest first (the rotated file's, then the current one's); lines that are not records are skipped.</summary>
    public static IReadOnlyList<RunRecord> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return [.. RecordsIn(RotatedFile(path)), .. RecordsIn(path)];
    }

    /// <summary>The pair's most recent record, or null when the history has none (or there is no history).</summary>
    public static RunRecord? LastFor(string path, string pair) =>
        Read(path).LastOrDefault(record => record.Pair == pair);

    /// <summary>The pair's most recent record of a run that succeeded, or null.</summary>
    public static RunRecord? LastSuccessFor(string path, string pair) =>
        Read(path).LastOrDefault(record => record.Pair == pair && record.Succeeded);

    private static IEnumerable<RunRecord> RecordsIn(string path) =>
        (TrustedFiles.ReadIfPresent(path) ?? string.Empty)
            .Split('\n')
            .Select(RunRecord.TryParse)
            .OfType<RunRecord>();

    private static void RotateIfFull(string path, long adding, long maxBytes)
    {
        var status = FileStatus.OfEntry(path);
        if (status is null)
        {
            return;
        }

        if (status.Kind != FileKind.RegularFile)
        {
            throw new BackupException($"{path} is {status.Kind.Describe()}, not {FileKind.RegularFile.Describe()}; refusing to use it");
        }

        TrustedFiles.EnsureTrusted(path, status, FileKind.RegularFile);
        var length = new FileInfo(path).Length;
        if (length > 0 && length + adding > maxBytes)
        {
            // rename(2) replaces whatever stands at FILE.1 (even a symlink) without following it.
            File.Move(path, RotatedFile(path), overwrite: true);
        }
    }
}
