namespace BtrfsBackup.Btrfs;

/// <summary>A process we ran (btrfs, findmnt) failed; carries what a user needs to repeat or report it.</summary>
internal sealed class ExternalCommandException : BackupException
{
    public ExternalCommandException(string commandLine, int exitCode, string standardError)
        : base(Describe(commandLine, exitCode, standardError))
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public string CommandLine { get; }

    public int ExitCode { get; }

    public string StandardError { get; }

    private static string Describe(string commandLine, int exitCode, string standardError) =>
        standardError.Length == 0
            ? $"`{commandLine}` failed with exit code {exitCode}."
            : $"`{commandLine}` failed with exit code {exitCode}: {standardError}";
}
