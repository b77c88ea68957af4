using BtrfsBackup.Logging;

namespace BtrfsBackup.Tests.Support;

/// <summary>Keeps every line a task logged, for assertions.</summary>
internal sealed class RecordingLog : ITaskLog
{
    public List<string> Lines { get; } = [];

    public void Information(string message) => Lines.Add(message);

    public void Warning(string message) => Lines.Add($"warning: {message}");

    public void Error(string message) => Lines.Add($"error: {message}");

    public void Verbose(string message) => Lines.Add($"verbose: {message}");

    public override string ToString() => string.Join('\n', Lines);
}
