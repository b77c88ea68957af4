using BtrfsBackup.Linux;

namespace BtrfsBackup.Hosts;

/// <summary>
/// What stands at a path: <see cref="Kind"/> of the entry after following symlinks (Missing when
/// nothing, or a symlink to nothing, is there); <see cref="RealPath"/> with symlinks resolved when it
/// exists; and the real path of the nearest folder that exists, at or above it.
/// </summary>
public sealed record PathState(string Path, FileKind? Kind, string? RealPath, string? DanglingLinkTarget, string NearestExistingFolder)
{
    /// <summary>Whether anything but a dangling symlink is there.</summary>
    public bool Exists => Kind is not null;

    /// <summary>Whether a directory is there (after following symlinks).</summary>
    public bool IsDirectory => Kind == FileKind.Directory;

    /// <summary>Why this is not a directory ("a regular file", "a symlink to /x, which does not exist"); null for a directory or nothing.</summary>
    public string? NotADirectory => DanglingLinkTarget is { } link ? $"a symlink to {link}, which does not exist"
        : Kind is { } kind && kind != FileKind.Directory ? kind.Describe()
        : null;
}
