namespace BtrfsBackup.Linux;

/// <summary>
/// The root-only folder a run keeps its lock files and transfer FIFOs in: <c>/run/btrfsbackup</c>
/// (the systemd unit's RuntimeDirectory), or <c>$BTRFSBACKUP_RUNTIME_DIR</c>, which tests point
/// into their sandbox. Every folder in it is checked to be the tool's own before use.
/// </summary>
internal sealed class RuntimeDirectory(string root)
{
    /// <summary>The environment variable that points the runtime folder elsewhere (tests).</summary>
    public const string EnvironmentVariable = "BTRFSBACKUP_RUNTIME_DIR";
    /// <summary>The runtime folder unless the environment variable says otherwise.</summary>
    public const string DefaultRoot = "/run/btrfsbackup";
    private const string TransferPrefix = "transfer-";

    /// <summary>The folder itself.</summary>
    public string Root { get; } = root;

    /// <summary><c>$BTRFSBACKUP_RUNTIME_DIR</c> when set, else <see cref="DefaultRoot"/>.</summary>
    public static RuntimeDirectory FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultRoot);

    /// <summary>Where pair locks are kept (made, or checked, on first use).</summary>
    public string LocksFolder() => TrustedFiles.EnsurePrivateFolder(Path.Combine(TrustedFiles.EnsurePrivateFolder(Root), "locks"));

    /// <summary>Where ssh keeps the control sockets of this run's shared connections (made, or checked, on first use).</summary>
    public string SshFolder() => TrustedFiles.EnsurePrivateFolder(Path.Combine(TrustedFiles.EnsurePrivateFolder(Root), "ssh"));

    /// <summary>A new empty folder for one transfer's FIFOs, named after this process so a later run can tell when it is abandoned.</summary>
    public string NewTransferFolder()
    {
        var folder = Path.Combine(TransfersFolder(), $"{TransferPrefix}{ProcessIdentity.Current}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }

    /// <summary>
    /// A barrier for tests of a transfer cut short: while a folder <c>hold-transfers</c> exists in the
    /// runtime directory (only its owner, root, can make it), a transfer that has started (its first
    /// chunk received) writes <c>started</c> there and moves nothing more until <c>release</c> appears
    /// or it is cancelled. So a test can signal or kill a run at a known point, not by racing it.
    /// </summary>
    /// <param name="cancellation">Ends the hold.</param>
    /// <param name="processes">The transfer's processes, one "PID COMMAND" line each, written after the run's own pid: what a test may signal.</param>
    public void HoldTransferIfAsked(CancellationToken cancellation, IEnumerable<string>? processes = null)
    {
        var hold = Path.Combine(Root, "hold-transfers");
        if (FileStatus.OfEntry(hold)?.Kind != FileKind.Directory)
        {
            return;
        }

        TrustedFiles.EnsureTrusted(hold, FileStatus.OfEntry(hold)!, FileKind.Directory);
        TrustedFiles.WriteAtomically(Path.Combine(hold, "started"), string.Join('\n', [Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. processes ?? []]) + "\n");
        // Released by a file, or by the test taking the barrier away altogether.
        while (FileStatus.OfEntry(Path.Combine(hold, "release")) is null && FileStatus.OfEntry(hold) is not null && !cancellation.IsCancellationRequested)
        {
            Thread.Sleep(20);
        }
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
