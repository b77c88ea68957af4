using System.Globalization;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Verification;

/// <summary>
/// Compares a backup's tree with its source snapshot's, path by path. What send/receive carries and
/// differs is a difference; what it does not carry (inode flags, allocated space: preallocation past
/// EOF, holes written as zeros by an incremental; the subvolume root's mtime, which a receive can leave at
/// the receive time: measured after incrementals and after a full send of many files) is
/// noted apart and is not a difference.
/// </summary>
internal static class TreeComparer
{
    /// <summary>Adds to <paramref name="differences"/> and <paramref name="notCarried"/> what differs between <paramref name="source"/> and <paramref name="backup"/>.</summary>
    /// <param name="source">The snapshot's tree.</param>
    /// <param name="backup">The backup's tree.</param>
    /// <param name="differences">What send/receive carries and differs.</param>
    /// <param name="notCarried">What send/receive does not carry and differs.</param>
    public static void Compare(Tree source, Tree backup, Findings differences, Findings notCarried)
    {
        foreach (var path in Unlike(source, backup))
        {
            var mine = source.Entries[path];
            if (!backup.Entries.TryGetValue(path, out var theirs))
            {
                differences.Add($"{mine.Display}: missing from the backup ({mine.Kind.Describe()} in the snapshot)");
                continue;
            }

            CompareEntry(mine, theirs, differences, notCarried);
        }

        foreach (var path in backup.Entries.Keys.Where(path => !source.Entries.ContainsKey(path)).Order(StringComparer.Ordinal))
        {
            differences.Add($"{backup.Entries[path].Display}: only in the backup ({backup.Entries[path].Kind.Describe()}), not in the snapshot");
        }

        foreach (var path in source.NestedSubvolumes.Union(backup.NestedSubvolumes).Order(StringComparer.Ordinal))
        {
            notCarried.Add($"{path}: a nested subvolume (not part of a snapshot), not compared");
        }
    }

    // The snapshot's paths with anything to report, in path order. Nearly every entry is alike, so
    // they are compared as they come and only the few that are not are sorted (then compared again,
    // in order, for the report): the same comparison, without sorting every path of the tree.
    private static List<string> Unlike(Tree source, Tree backup)
    {
        var scratch = new Findings();
        var unlike = new List<string>();
        foreach (var (path, mine) in source.Entries)
        {
            var before = scratch.Count;
            if (!backup.Entries.TryGetValue(path, out var theirs))
            {
                unlike.Add(path);
                continue;
            }

            CompareEntry(mine, theirs, scratch, scratch);
            if (scratch.Count != before)
            {
                unlike.Add(path);
            }
        }

        unlike.Sort(StringComparer.Ordinal);
        return unlike;
    }

    private static void CompareEntry(TreeEntry mine, TreeEntry theirs, Findings differences, Findings notCarried)
    {
        var name = mine.Display;
        if (mine.Kind != theirs.Kind)
        {
            differences.Add($"{name}: {mine.Kind.Describe()} in the snapshot, {theirs.Kind.Describe()} in the backup");
            return;
        }

        if (mine.Mode != theirs.Mode)
        {
            differences.Add($"{name}: mode {Octal(mine.Mode)} in the snapshot, {Octal(theirs.Mode)} in the backup");
        }

        if (mine.OwnerId != theirs.OwnerId || mine.GroupId != theirs.GroupId)
        {
            differences.Add($"{name}: owner {mine.OwnerId}:{mine.GroupId} in the snapshot, {theirs.OwnerId}:{theirs.GroupId} in the backup");
        }

        if (mine.SymlinkTarget != theirs.SymlinkTarget)
        {
            differences.Add($"{name}: symlink to '{mine.SymlinkTarget}' in the snapshot, to '{theirs.SymlinkTarget}' in the backup");
        }

        if (mine.Device != theirs.Device)
        {
            differences.Add($"{name}: device {mine.Device} in the snapshot, {theirs.Device} in the backup");
        }

        var sameSize = mine.Size == theirs.Size;
        if (!sameSize && mine.Kind != FileKind.Directory)
        {
            differences.Add($"{name}: {mine.Size} bytes in the snapshot, {theirs.Size} in the backup");
        }

        if (mine.ModifiedNanoseconds != theirs.ModifiedNanoseconds)
        {
            var line = $"{name}: modified {Time(mine.ModifiedNanoseconds)} in the snapshot, {Time(theirs.ModifiedNanoseconds)} in the backup";
            if (mine.Path.Length == 0)
            {
                notCarried.Add($"{line} (a receive can leave the subvolume root's mtime at the receive time)");
            }
            else
            {
                differences.Add(line);
            }
        }

        CompareAttributes(mine, theirs, differences);
        if (mine.LinkGroup != theirs.LinkGroup)
        {
            differences.Add($"{name}: {Links(mine)} in the snapshot, {Links(theirs)} in the backup");
        }

        if (mine.Checksum is { } expected && theirs.Checksum is { } actual && sameSize && expected != actual)
        {
            differences.Add($"{name}: content differs (same size{(mine.ModifiedNanoseconds == theirs.ModifiedNanoseconds ? " and mtime" : string.Empty)}, different checksum)");
        }

        if (mine.InodeFlags != theirs.InodeFlags)
        {
            notCarried.Add($"{name}: inode flags {InodeFlagNames.Describe(mine.InodeFlags)} in the snapshot, {InodeFlagNames.Describe(theirs.InodeFlags)} in the backup (chattr)");
        }

        if (mine.Kind == FileKind.RegularFile && sameSize && mine.AllocatedBytes != theirs.AllocatedBytes)
        {
            var why = mine.AllocatedBytes > RoundedUp(mine.Size) ? "preallocated space past EOF" : "allocated space (holes, compression)";
            notCarried.Add($"{name}: {why}: {mine.AllocatedBytes} bytes allocated in the snapshot, {theirs.AllocatedBytes} in the backup");
        }
    }

    // Both lists are in ordinal name order (as the walker sorts them): one merge, in name order.
    private static void CompareAttributes(TreeEntry mine, TreeEntry theirs, Findings differences)
    {
        var (left, right) = (mine.Attributes, theirs.Attributes);
        int i = 0, j = 0;
        while (i < left.Count || j < right.Count)
        {
            var order = i == left.Count ? 1 : j == right.Count ? -1 : string.CompareOrdinal(left[i].Key, right[j].Key);
            if (order < 0)
            {
                differences.Add($"{mine.Display}: extended attribute {left[i++].Key} missing from the backup");
            }
            else if (order > 0)
            {
                differences.Add($"{mine.Display}: extended attribute {right[j++].Key} only in the backup");
            }
            else if (!left[i++].Value.AsSpan().SequenceEqual(right[j++].Value))
            {
                differences.Add($"{mine.Display}: extended attribute {left[i - 1].Key} differs");
            }
        }
    }

    private static string Links(TreeEntry entry) =>
        entry.LinkGroup is null || entry.LinkGroup == entry.Path ? $"{entry.LinkCount} link(s)" : $"a hard link of {entry.LinkGroup}";

    private static long RoundedUp(long size) => (size + 4095) / 4096 * 4096;

    private static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');

    // To the nanosecond, as the filesystem keeps it: two times that print alike are alike.
    private static string Time(long nanoseconds)
    {
        var seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000L;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.FromUnixTimeSeconds(seconds):yyyy-MM-dd'T'HH:mm:ss}.{fraction:D9}Z");
    }
}
