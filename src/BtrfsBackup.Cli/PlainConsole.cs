using Cake.Core;

namespace BtrfsBackup.Cli;

/// <summary>
/// Cake's console without colour: for output that goes to a file, a pipe or the journal (standard
/// output not a terminal), or when <c>NO_COLOR</c> is set, where escape codes would only be noise.
/// </summary>
internal sealed class PlainConsole(IConsole inner) : IConsole
{
    public ConsoleColor ForegroundColor { get => inner.ForegroundColor; set { } }

    public ConsoleColor BackgroundColor { get => inner.BackgroundColor; set { } }

    public bool SupportAnsiEscapeCodes => false;

    /// <summary>Whether this run's output should be plain: stdout redirected, or <c>NO_COLOR</c> set to anything.</summary>
    public static bool Wanted => Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };

    public void Write(string format, params object[] arg) => inner.Write(format, arg);

    public void Write(string value) => inner.Write(value);

    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);

    public void WriteLine(string value) => inner.WriteLine(value);

    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);

    public void WriteError(string value) => inner.WriteError(value);

    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);

    public void WriteErrorLine(string value) => inner.WriteErrorLine(value);

    public void ResetColor()
    {
    }
}
