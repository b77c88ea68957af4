namespace BtrfsBackup.Btrfs;

/// <summary>Parses <c>btrfs subvolume show PATH</c>: "Key: value" lines after a first line that names the subvolume.</summary>
internal static class SubvolumeShowParser
{
    public static SubvolumeInfo Parse(string path, string output)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        // The "Snapshot(s):" list at the end holds names, which may contain ':' themselves.
        foreach (var line in output.Split('\n').Skip(1).TakeWhile(line => !line.TrimStart().StartsWith("Snapshot(s):", StringComparison.Ordinal)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        if (!fields.TryGetValue("UUID", out var uuidText) || !Guid.TryParse(uuidText, out var uuid))
        {
            throw new BackupException($"Unexpected output from 'btrfs subvolume show {path}': no UUID line.");
        }

        return new SubvolumeInfo(
            path,
            uuid,
            Optional(fields, "Parent UUID"),
            Optional(fields, "Received UUID"),
            fields.TryGetValue("Flags", out var flags) && flags.Contains("readonly", StringComparison.Ordinal),
            Number(fields, "Generation"),
            Number(fields, "Gen at creation"));
    }

    private static long Number(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    private static Guid? Optional(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var text) && Guid.TryParse(text, out var uuid) ? uuid : null;
}
