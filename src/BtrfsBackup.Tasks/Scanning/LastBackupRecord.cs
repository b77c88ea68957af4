namespace BtrfsBackup.Scanning;

/// <summary>
/// A small file in the snapshot_dir naming the source snapshot whose backup was the newest when the
/// target was last reached. While the backup disk is away, retention protects that snapshot (the next
/// incremental's parent) and everything newer. A plain file, so scans list it as nothing at all.
/// </summary>
public static class LastBackupRecord
{
    public const string FileName = ".btrfsbackup-last-backup";

    public static Guid? Read(string snapshotDir)
    {
        var path = Path.Combine(snapshotDir, FileName);
        try
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
            return Guid.TryParse(text.Split(' ', 2)[0].Trim(), out var uuid) ? uuid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="snapshot"/>; written whole then renamed, so a crash leaves the old record or the new one.</summary>
    public static void Write(string snapshotDir, Snapshot snapshot)
    {
        var path = Path.Combine(snapshotDir, FileName);
        var temporary = path + ".new";
        File.WriteAllText(temporary, $"{snapshot.Uuid} {snapshot.Name}\n");
        File.Move(temporary, path, overwrite: true);
    }
}
