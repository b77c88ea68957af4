namespace BtrfsBackup.Linux;

/// <summary>
/// The root-only folder a run keeps its lock files and transfer FIFOs in: <c>/run/btrfsbackup</c>
/// (the systemd unit's RuntimeDirectory), or <c>$BTRFSBACKUP_RUNTIME_DIR</c>, which tests point
/// into their sandbox. Every folder in it is checked to be the tool's own before use.
/// </summary>
public sealed class RuntimeDirectory(string root)
{
    public const string EnvironmentVariable = "BTRFSBACKUP_RUNTIME_DIR";
    public const string DefaultRoot = "/run/btrfsbackup";
    private const string TransferPrefix = "transfer-";

    public string Root { get; } = root;

    public static RuntimeDirectory FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultRoot);

    /// <summary>Where pair locks are kept (made, or checked, on first use).</summary>
    public string LocksFolder() => TrustedFiles.EnsurePrivateFolder(Path.Combine(TrustedFiles.EnsurePrivateFolder(Root), "locks"));

    /// <summary>A new empty folder for one transfer's FIFOs, named after this process so a later run can tell when it is abandoned.</summary>
    public string NewTransferFolder()
    {
        var folder = Path.Combine(TransfersFolder(), $"{TransferPrefix}{ProcessIdentity.Current}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    /// <summary>Removes the transfer folders of processes that are gone (killed outright, they could not); returns what was removed.</summary>
    public IReadOnlyList<string> RemoveAbandonedTransferFolders()
    {
        var folder = Path.Combine(Root, "transfers");
        if (FileStatus.OfEntry(folder) is null)
        {
            return [];
        }

        var removed = new List<string>();
        foreach (var transfer in Directory.EnumerateDirectories(TransfersFolder(), TransferPrefix + "*"))
        {
            if (ProcessIdentity.TryParse(Path.GetFileName(transfer)[TransferPrefix.Length..], out var owner) && !owner.IsAlive)
            {
                // Holds only the two FIFOs; recursive deletion removes links, it does not follow them.
                Directory.Delete(transfer, recursive: true);
                removed.Add(transfer);
            }
        }

        return removed;
    }

    private string TransfersFolder() => TrustedFiles.EnsurePrivateFolder(Path.Combine(TrustedFiles.EnsurePrivateFolder(Root), "transfers"));
}
