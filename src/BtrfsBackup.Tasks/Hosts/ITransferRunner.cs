namespace BtrfsBackup.Hosts;

/// <summary>Moves one snapshot from the host it is on to a directory on another: <c>btrfs send | btrfs receive</c>.</summary>
internal interface ITransferRunner
{
    /// <exception cref="BackupException">Either side failed; the message carries its command line, exit code and stderr.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; both sides were stopped.</exception>
    Task<TransferResult> RunAsync(TransferRequest request, Action<long, TimeSpan>? progress, CancellationToken cancellation);

    /// <summary>The transfer as the shell pipeline it is equivalent to, for a dry run and the log.</summary>
    string Describe(TransferRequest request) =>
        $"{Btrfs.BtrfsCommand.Send(request.Snapshot, request.Parent)} | {Btrfs.BtrfsCommand.Receive(request.TargetDirectory)}";
}

/// <summary>
/// Send <see cref="Snapshot"/> (incrementally from <see cref="Parent"/> when given) from
/// <see cref="From"/> into <see cref="TargetDirectory"/> on <see cref="To"/>.
/// </summary>
internal sealed record TransferRequest(IBtrfsHost From, string Snapshot, string? Parent, IBtrfsHost To, string TargetDirectory)
{
    /// <summary>How often progress is reported while the transfer runs.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Compression between machines and a rate limit.</summary>
    public Configuration.StreamOptions Stream { get; init; } = Configuration.StreamOptions.Plain;
}
