using BtrfsBackup.Linux;

namespace BtrfsBackup.Verification;

/// <summary>
/// One entry of a subvolume's tree as verify compares it: what send/receive carries (type, mode,
/// owner, size, mtime, symlink target, device number, extended attributes, hard links, data) and,
/// to report apart, what it does not (inode flags, allocated space).
/// </summary>
internal sealed class TreeEntry
{
    /// <summary>Relative to the subvolume's root; "" for the root itself.</summary>
    public required string Path { get; init; }

    public required FileKind Kind { get; init; }

    /// <summary>Permission, setuid, setgid and sticky bits.</summary>
    public required int Mode { get; init; }

    public required uint OwnerId { get; init; }

    public required uint GroupId { get; init; }

    public required long Size { get; init; }

    public required long AllocatedBytes { get; init; }

    /// <summary>Modification time, in nanoseconds since the epoch.</summary>
    public required long ModifiedNanoseconds { get; init; }

    public required ulong Inode { get; init; }

    public required uint LinkCount { get; init; }

    /// <summary>"major:minor" for a device; null otherwise.</summary>
    public string? Device { get; init; }

    public string? SymlinkTarget { get; set; }

    /// <summary>Name to value, in name order; empty for none.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Attributes { get; set; } = [];

    /// <summary>Immutable and append-only from statx; the rest from FS_IOC_GETFLAGS where the entry was opened.</summary>
    public int InodeFlags { get; set; }

    /// <summary>XxHash128 of a regular file's data; null for other kinds.</summary>
    public ContentChecksum? Checksum { get; set; }

    /// <summary>For an entry with more than one link: the first path (in ordinal order) of its hard-link group.</summary>
    public string? LinkGroup { get; set; }

    public string Display => Path.Length == 0 ? "/ (the subvolume root)" : Path;
}
