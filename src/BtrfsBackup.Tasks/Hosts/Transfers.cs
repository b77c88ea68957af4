using BtrfsBackup.Linux;
using BtrfsBackup.Remote;

namespace BtrfsBackup.Hosts;

/// <summary>Every transfer of a run: between two places on this machine by <see cref="LocalTransfer"/>, else through ssh.</summary>
internal sealed class Transfers(ITransferRunner local, RuntimeDirectory runtime) : ITransferRunner
{
    public Task<TransferResult> RunAsync(TransferRequest request, Action<long, TimeSpan>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.From is SshBtrfsHost || request.To is SshBtrfsHost
            ? SshTransfer.RunAsync(request, progress, runtime, cancellation)
            : local.RunAsync(request, progress, cancellation);
    }

    public string Describe(TransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.From is SshBtrfsHost || request.To is SshBtrfsHost ? SshTransfer.Describe(request) : local.Describe(request);
    }
}
