using System.Text.Json;

namespace BtrfsBackup.Btrfs;

/// <summary>Parses <c>findmnt -J -o TARGET,FSTYPE,FSROOT,UUID</c>.</summary>
internal static class FindmntParser
{
    public static MountedFilesystem Parse(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        var filesystems = document.RootElement.GetProperty("filesystems");
        if (filesystems.GetArrayLength() == 0)
        {
            throw new BackupException($"findmnt found no mount for {path}.");
        }

        // With --target findmnt prints the one mount the path lives on; take the last entry should it print more.
        var mount = filesystems[filesystems.GetArrayLength() - 1];
        return new MountedFilesystem(
            Text(mount, "target") ?? "/",
            Text(mount, "fstype") ?? "unknown",
            Text(mount, "fsroot") ?? "/",
            Guid.TryParse(Text(mount, "uuid"), out var uuid) ? uuid : null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
