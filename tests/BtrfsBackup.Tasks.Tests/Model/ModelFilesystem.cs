namespace BtrfsBackup.Tests.Model;

/// <summary>
/// One filesystem of the model: its identity (UUID and type, as findmnt reports them), its tree, and
/// for btrfs its subvolumes. <see cref="Generation"/> is the transaction id: every change commits one,
/// and the subvolumes it touched take that generation, as btrfs's <c>gen</c> and <c>cgen</c> do.
/// </summary>
internal sealed class ModelFilesystem
{
    public const string Btrfs = "btrfs";
    private long nextSubvolumeId = 256;

    public ModelFilesystem(string label, string type)
    {
        Label = label;
        Type = type;
        Root = new ModelDirectory();
        if (IsBtrfs)
        {
            // The top level (id 5) is a subvolume that `btrfs subvolume list` does not list.
            Root.Subvolume = new ModelSubvolume { Id = ModelSubvolume.TopLevelId, Uuid = Guid.NewGuid(), Root = Root };
        }
    }

    /// <summary>For people reading a failed test: "system", "backup".</summary>
    public string Label { get; }

    public string Type { get; }

    public Guid Uuid { get; } = Guid.NewGuid();

    public bool IsBtrfs => Type == Btrfs;

    public ModelDirectory Root { get; }

    public long Generation { get; private set; }

    /// <summary>Where it is mounted; null while it is not.</summary>
    public string? MountPoint { get; internal set; }

    /// <summary>Mounted read-only (or remounted so after an error): every change fails with EROFS.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>No space left: every change that allocates fails with ENOSPC; deleting still works.</summary>
    public bool IsFull { get; set; }

    /// <summary>Commits a transaction that changed <paramref name="changed"/> (when given); returns its generation.</summary>
    public long Commit(ModelSubvolume? changed = null)
    {
        Generation++;
        if (changed is not null)
        {
            changed.Generation = Generation;
        }

        return Generation;
    }

    /// <summary>A new subvolume rooted at <paramref name="root"/>, created in a transaction of its own.</summary>
    public ModelSubvolume NewSubvolume(ModelDirectory root, Guid? parentUuid, Guid? receivedUuid, bool readOnly)
    {
        var generation = Commit();
        var subvolume = new ModelSubvolume
        {
            Id = nextSubvolumeId++,
            Uuid = Guid.NewGuid(),
            ParentUuid = parentUuid,
            ReceivedUuid = receivedUuid,
            IsReadOnly = readOnly,
            Generation = generation,
            CreationGeneration = generation,
            Root = root,
        };
        root.Subvolume = subvolume;
        return subvolume;
    }

    /// <summary>Every subvolume but the top level, by path from the top level, in id order: what <c>btrfs subvolume list</c> prints.</summary>
    public IReadOnlyList<(string FsPath, ModelSubvolume Subvolume)> Subvolumes() =>
        Root.SubvolumesBelow().OrderBy(found => found.Subvolume.Id).ToList();

    public override string ToString() => $"{Label} ({Type} {Uuid}{(MountPoint is null ? ", not mounted" : $" at {MountPoint}")})";
}
