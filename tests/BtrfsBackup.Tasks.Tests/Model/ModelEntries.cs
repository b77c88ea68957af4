using BtrfsBackup.Linux;

namespace BtrfsBackup.Tests.Model;

/// <summary>An entry in a model filesystem's tree: a directory (perhaps a subvolume's root), a file or a symlink.</summary>
internal abstract class ModelEntry
{
    public abstract FileKind Kind { get; }
}

/// <summary>A regular file. Its bytes are never changed in place (a write replaces them), so copies may share them.</summary>
internal sealed class ModelFile(byte[] content) : ModelEntry
{
    public byte[] Content { get; set; } = content;

    public override FileKind Kind => FileKind.RegularFile;
}

internal sealed class ModelSymlink(string target) : ModelEntry
{
    public string Target { get; } = target;

    public override FileKind Kind => FileKind.Symlink;
}

internal sealed class ModelDirectory : ModelEntry
{
    public SortedDictionary<string, ModelEntry> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when this directory is the root of a subvolume (a btrfs filesystem's own root included).</summary>
    public ModelSubvolume? Subvolume { get; set; }

    public override FileKind Kind => FileKind.Directory;

    /// <summary>
    /// What a snapshot (or a receive) of the subvolume rooted here holds: every file, directory and
    /// symlink, and nested subvolumes as empty directories, since btrfs does not descend into them.
    /// </summary>
    public ModelDirectory CopyContent()
    {
        var copy = new ModelDirectory();
        foreach (var (name, child) in Children)
        {
            copy.Children[name] = child switch
            {
                ModelDirectory { Subvolume: not null } => new ModelDirectory(),
                ModelDirectory directory => directory.CopyContent(),
                ModelFile file => new ModelFile(file.Content),
                ModelSymlink link => new ModelSymlink(link.Target),
                _ => throw new InvalidOperationException($"unknown entry {child.GetType().Name}"),
            };
        }

        return copy;
    }

    /// <summary>Every file below, by path relative to here, as a reader walking the tree sees them (nested subvolumes included).</summary>
    public IEnumerable<(string Path, ModelFile File)> Files(string prefix = "")
    {
        foreach (var (name, child) in Children)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}/{name}";
            if (child is ModelFile file)
            {
                yield return (path, file);
            }
            else if (child is ModelDirectory directory)
            {
                foreach (var below in directory.Files(path))
                {
                    yield return below;
                }
            }
        }
    }

    /// <summary>Subvolume roots below, not counting this one, by path relative to here.</summary>
    public IEnumerable<(string Path, ModelSubvolume Subvolume)> SubvolumesBelow(string prefix = "")
    {
        foreach (var (name, child) in Children)
        {
            if (child is not ModelDirectory directory)
            {
                continue;
            }

            var path = prefix.Length == 0 ? name : $"{prefix}/{name}";
            if (directory.Subvolume is { } subvolume)
            {
                yield return (path, subvolume);
            }

            foreach (var below in directory.SubvolumesBelow(path))
            {
                yield return below;
            }
        }
    }
}

/// <summary>
/// A subvolume's identity and flags as <c>btrfs subvolume show</c> reports them. Its content is the
/// tree under <see cref="Root"/>, up to the roots of nested subvolumes.
/// </summary>
internal sealed class ModelSubvolume
{
    /// <summary>The id of a btrfs filesystem's own root, which <c>btrfs subvolume list</c> leaves out.</summary>
    public const long TopLevelId = 5;

    public required long Id { get; init; }

    public required Guid Uuid { get; init; }

    public Guid? ParentUuid { get; init; }

    public Guid? ReceivedUuid { get; set; }

    public bool IsReadOnly { get; set; }

    public long Generation { get; set; }

    public long CreationGeneration { get; init; }

    public required ModelDirectory Root { get; init; }

    public bool IsTopLevel => Id == TopLevelId;
}
