using BtrfsBackup.Btrfs;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Hosts;

/// <summary>Runs a program with an argument list (no shell) and returns its output, or throws with its stderr.</summary>
internal static class ProcessRunner
{
    // Tools print their messages and tables in the C locale, the one our parsers expect.
    public static readonly IReadOnlyDictionary<string, string?> StableLocale =
        new Dictionary<string, string?> { ["LC_ALL"] = "C" };

    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(program)
                .WithArguments(arguments)
                .WithEnvironmentVariables(StableLocale)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellation);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BackupException($"Could not start '{program}': {e.Message}. Is it installed and on PATH?", e);
        }

        if (result.ExitCode != 0)
        {
            throw new ExternalCommandException(ShellQuoting.Render(program, arguments), result.ExitCode, result.StandardError.Trim());
        }

        return result.StandardOutput;
    }
}
