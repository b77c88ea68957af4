using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Support;

/// <summary>Runs set-up commands for tests (mkfs, mount, losetup), failing loudly with their stderr.</summary>
internal static class Shell
{
    public static string Run(string program, params string[] arguments) => RunAsync(program, arguments).GetAwaiter().GetResult();

    public static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await TryRunAsync(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput;
    }

    public static Task<BufferedCommandResult> TryRunAsync(string program, IReadOnlyList<string> arguments) =>
        Cli.Wrap(program)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    public static BufferedCommandResult TryRun(string program, params string[] arguments) =>
        TryRunAsync(program, arguments).GetAwaiter().GetResult();
}
