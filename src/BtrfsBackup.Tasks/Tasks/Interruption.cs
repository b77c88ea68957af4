using BtrfsBackup.Logging;

namespace BtrfsBackup.Tasks;

/// <summary>A run told to stop (Ctrl-C, SIGTERM): the step under way cleans up and stops, every later step is skipped.</summary>
internal sealed class Interruption(ITaskLog log) : IDisposable
{
    private readonly CancellationTokenSource source = new();

    public string? By { get; private set; }

    public CancellationToken Token => source.Token;

    public void Interrupt(string signal)
    {
        lock (source)
        {
            if (By is not null)
            {
                return;
            }

            By = signal;
        }

        log.Warning($"Received {signal}: stopping after cleaning up the step under way (send it again to stop at once).");
        source.Cancel();
    }

    public void Dispose() => source.Dispose();
}
