namespace BtrfsBackup.Logging;

/// <summary>Plain console output, for hosts without a logger of their own.</summary>
internal sealed class ConsoleTaskLog(bool verbose = false) : ITaskLog
{
    public void Information(string message) => Console.Out.WriteLine(message);

    public void Warning(string message) => Console.Error.WriteLine($"warning: {message}");

    public void Error(string message) => Console.Error.WriteLine($"error: {message}");

    public void Verbose(string message)
    {
        if (verbose)
        {
            Console.Out.WriteLine(message);
        }
    }
}
