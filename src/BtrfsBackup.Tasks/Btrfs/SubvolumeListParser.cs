using System.Text.RegularExpressions;

namespace BtrfsBackup.Btrfs;

/// <summary>One line of <c>btrfs subvolume list -g -c -u -q -R</c>: <see cref="FsPath"/> is relative to the filesystem's top level.</summary>
internal sealed record SubvolumeListEntry(long Id, string FsPath, Guid Uuid, Guid? ParentUuid, Guid? ReceivedUuid, long Generation = 0, long CreationGeneration = 0);

/// <summary>
/// Parses <c>btrfs subvolume list -g -c -u -q -R</c>. Columns are found by their labels rather than their
/// position, since btrfs-progs has reordered and re-padded them across versions.
/// </summary>
internal static partial class SubvolumeListParser
{
    public static IReadOnlyList<SubvolumeListEntry> Parse(string output)
    {
        var entries = new List<SubvolumeListEntry>();
        foreach (var line in JoinNamesWithNewlines(output))
        {
            var pathAt = line.IndexOf(" path ", StringComparison.Ordinal);
            var id = IdField().Match(line);
            var uuid = UuidField().Match(line);
            if (pathAt < 0 || !id.Success || !uuid.Success)
            {
                throw new BackupException($"Unexpected line from 'btrfs subvolume list': {line}");
            }

            var head = line[..pathAt];
            entries.Add(new SubvolumeListEntry(
                long.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                line[(pathAt + " path ".Length)..],
                Guid.Parse(UuidField().Match(head).Groups[1].Value),
                OptionalUuid(ParentUuidField().Match(head)),
                OptionalUuid(ReceivedUuidField().Match(head)),
                OptionalNumber(GenerationField().Match(head)),
                OptionalNumber(CreationGenerationField().Match(head))));
        }

        return entries;
    }

    // A subvolume name may hold a newline: a line not starting with "ID " continues the path above.
    private static List<string> JoinNamesWithNewlines(string output)
    {
        var lines = new List<string>();
        foreach (var line in output.TrimEnd('\n').Split('\n'))
        {
            if (lines.Count > 0 && !line.StartsWith("ID ", StringComparison.Ordinal))
            {
                lines[^1] += "\n" + line;
            }
            else if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    /// <summary>
    /// Every subvolume reachable through <paramref name="filesystem"/>'s mount: both lists asked at once through
    /// <paramref name="runBtrfs"/> (the host's way of running btrfs, here or over ssh), then combined.
    /// </summary>
    public static async Task<IReadOnlyList<SubvolumeInfo>> ListAsync(
        Func<BtrfsCommand, CancellationToken, Task<string>> runBtrfs, MountedFilesystem filesystem, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(runBtrfs);
        ArgumentNullException.ThrowIfNull(filesystem);
        var (all, readOnly) = await Hosts.Together.AskAsync(
            runBtrfs(BtrfsCommand.ListSubvolumes(filesystem.MountPoint, readOnlyOnly: false), cancellation),
            runBtrfs(BtrfsCommand.ListSubvolumes(filesystem.MountPoint, readOnlyOnly: true), cancellation));
        return Combine(all, readOnly, filesystem);
    }

    /// <summary>
    /// The subvolumes reachable through <paramref name="filesystem"/>'s mount, each with its real path, from
    /// the output of listing all of them and of listing the read-only ones (the list shows no flags).
    /// </summary>
    public static IReadOnlyList<SubvolumeInfo> Combine(string allOutput, string readOnlyOutput, MountedFilesystem filesystem)
    {
        ArgumentNullException.ThrowIfNull(filesystem);
        var readOnly = Parse(readOnlyOutput).Select(entry => entry.Id).ToHashSet();
        return Parse(allOutput)
            .Select(entry => (Entry: entry, Path: FilesystemPath.ToMountedPath(entry.FsPath, filesystem)))
            .Where(found => found.Path is not null)
            .Select(found => new SubvolumeInfo(
                found.Path!,
                found.Entry.Uuid,
                found.Entry.ParentUuid,
                found.Entry.ReceivedUuid,
                readOnly.Contains(found.Entry.Id),
                found.Entry.Generation,
                found.Entry.CreationGeneration))
            .ToList();
    }

    private static Guid? OptionalUuid(Match field) =>
        field.Success && Guid.TryParse(field.Groups[1].Value, out var uuid) ? uuid : null;

    private static long OptionalNumber(Match field) =>
        field.Success ? long.Parse(field.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@" gen (\d+)")]
    private static partial Regex GenerationField();

    [GeneratedRegex(@" cgen (\d+)")]
    private static partial Regex CreationGenerationField();

    [GeneratedRegex(@"^ID (\d+) ")]
    private static partial Regex IdField();

    [GeneratedRegex(@"(?:^| )uuid (\S+)")]
    private static partial Regex UuidField();

    [GeneratedRegex(@" parent_uuid (\S+)")]
    private static partial Regex ParentUuidField();

    [GeneratedRegex(@" received_uuid (\S+)")]
    private static partial Regex ReceivedUuidField();
}
