using System.Globalization;

namespace BtrfsBackup.Linux;

/// <summary>
/// sshd's and sudo's "strict modes" for what steers a run as root: a file or folder (the
/// configuration, a script, the library, the script cache) and every folder above it up to
/// <c>/</c> must be owned by root and writable by no one else, or a user could change what root
/// runs. A sticky folder of root's (<c>/tmp</c>) is accepted above it: there a user can add
/// entries but not replace root's. Each entry is inspected with lstat; a symlink must be root's
/// and what it points at is checked the same way, one link of a chain at a time. Not running as root, nothing is checked.
/// </summary>
internal sealed class StrictModes
{
    private const uint Root = 0;

    // Linux's own limit on symlinks followed while resolving one path (MAXSYMLINKS): past it, opening the path fails anyway.
    private const int MaxSymlinks = 40;
    private readonly Dictionary<string, FileStatus> passed = new(StringComparer.Ordinal);

    /// <summary>Whether the checks apply: only a run as root (effective uid 0) can be steered into doing harm with root's rights.</summary>
    public static bool Applies => TrustedFiles.CurrentUserId == Root;

    /// <summary>Checks <paramref name="path"/> and each folder above it; nothing missing is an error here (whoever reads it says so).</summary>
    /// <param name="path">An absolute path.</param>
    /// <param name="role">What it is, for the message: "the configuration file", "the library".</param>
    /// <exception cref="BackupException">An entry on the way is another user's or writable by group or others.</exception>
    public void EnsurePath(string path, string role) => EnsurePath(path, role, linksFollowed: 0);

    // Symlinks are followed one at a time, each link checked, so none in a chain escapes the check.
    private void EnsurePath(string path, string role, int linksFollowed)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var current = "/";
        Ensure(current, full, role, last: full == "/");
        var components = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var index = 0; index < components.Length; index++)
        {
            var last = index == components.Length - 1;
            current = Path.Combine(current, components[index]);
            var status = Ensure(current, full, role, last);
            if (status is null)
            {
                return;
            }

            if (status.Kind == FileKind.Symlink)
            {
                // The link is root's, in a folder only root changes: what it points at is checked like the path itself,
                // one link at a time (a link in the chain another user owns is refused there); as many as the kernel follows.
                if (linksFollowed >= MaxSymlinks || File.ResolveLinkTarget(current, returnFinalTarget: false) is not { } target)
                {
                    return;
                }

                EnsurePath(target.FullName, role, linksFollowed + 1);
                current = target.FullName;
            }
        }
    }

    /// <summary>Checks <paramref name="folder"/>, the folders above it, and everything below it (a library's folder, a script cache).</summary>
    public void EnsureTree(string folder, string role)
    {
        EnsurePath(folder, role);
        if (FileStatus.OfEntry(folder)?.Kind != FileKind.Directory)
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
        {
            EnsurePath(entry, role);
        }
    }

    // Null when nothing is there.
    private FileStatus? Ensure(string entry, string path, string role, bool last)
    {
        if (passed.TryGetValue(entry, out var checkedBefore))
        {
            return checkedBefore;
        }

        var status = FileStatus.OfEntry(entry);
        if (status is null)
        {
            return null;
        }

        var foreignOwner = status.OwnerId != Root;
        // A symlink's own mode means nothing; a sticky folder of root's lets others add entries, never replace root's.
        var othersMayWrite = status.Kind != FileKind.Symlink && status.IsWritableByGroupOrOthers
            && !(!last && status.Kind == FileKind.Directory && !foreignOwner && status.Permissions.HasFlag(UnixFileMode.StickyBit));
        if (foreignOwner || othersMayWrite)
        {
            throw new BackupException(Refusal(entry, path, role, status, foreignOwner, othersMayWrite));
        }

        // Passed as a sticky folder above something: it must still be checked as a folder of its own.
        if (!status.IsWritableByGroupOrOthers || status.Kind == FileKind.Symlink)
        {
            passed[entry] = status;
        }

        return status;
    }

    private static string Refusal(string entry, string path, string role, FileStatus status, bool foreignOwner, bool othersMayWrite)
    {
        var above = entry != path;
        var subject = above ? $"{entry}, a folder above {role} {path}," : $"{role} {entry}";
        var writers = string.Join(" and ", new[]
        {
            status.Permissions.HasFlag(UnixFileMode.GroupWrite) ? "its group" : null,
            status.Permissions.HasFlag(UnixFileMode.OtherWrite) ? "others" : null,
        }.OfType<string>());
        var fixes = string.Join(" && ", new[]
        {
            foreignOwner ? $"chown root {ShellQuoted(entry)}" : null,
            othersMayWrite ? $"chmod go-w {ShellQuoted(entry)}" : null,
        }.OfType<string>());
        var mode = Convert.ToString((int)status.Permissions, 8).PadLeft(4, '0');
        var instead = above ? $", or keep {path} where every folder above it is root's alone (as /opt or /etc are)" : string.Empty;
        return $"refusing to run as root: {subject} is owned by {UserName(status.OwnerId)}, mode {mode}" +
            (othersMayWrite ? $" (writable by {writers})" : string.Empty) +
            $": a user other than root could change what runs as root. Check what it holds, then run: {fixes}{instead}";
    }

    /// <summary>"alice (uid 1000)", or "uid 1000" when /etc/passwd does not name it.</summary>
    public static string UserName(uint id)
    {
        var number = id.ToString(CultureInfo.InvariantCulture);
        if (id == Root)
        {
            return "root";
        }

        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var fields = line.Split(':');
                if (fields.Length > 2 && fields[2] == number)
                {
                    return $"{fields[0]} (uid {number})";
                }
            }
        }
        catch (IOException)
        {
            // No names then: the number says it too.
        }

        return $"uid {number}";
    }

    private static string ShellQuoted(string path) =>
        path.All(character => char.IsAsciiLetterOrDigit(character) || "/._-+".Contains(character, StringComparison.Ordinal)) ? path : $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
