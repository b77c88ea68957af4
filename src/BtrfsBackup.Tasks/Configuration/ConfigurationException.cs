namespace BtrfsBackup.Configuration;

/// <summary>The configuration file is wrong; the message names the file, line, column and key.</summary>
internal sealed class ConfigurationException : BackupException
{
    public ConfigurationException(string file, int line, int column, string problem)
        : base($"{file}:{line}:{column}: {problem}")
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string File { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without its location.</summary>
    public string Problem { get; }
}
