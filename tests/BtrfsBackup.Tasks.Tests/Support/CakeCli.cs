using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Runs the tool as a user would, through either host of its Cake tasks: the <c>btrfsbackup</c>
/// program (Cake's engine, compiled), or <c>dotnet cake</c> on the repository's build.cake or a
/// recipe; and captures the outcome.
/// </summary>
public static partial class CakeCli
{
    private static readonly Lazy<string> LibraryBuilt = new(BuildLibrary);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The program as installed: compiled to native code (Native AOT) from this checkout, once per test run.</summary>
    private static string ProgramPath { get; } = Path.Combine(RepositoryRoot, "artifacts", "program", "btrfsbackup");

    /// <summary>The program's path, built first (once per test run), for tests that start it some other way (a shell line, a hook).</summary>
    public static string BuiltProgramPath
    {
        get
        {
            _ = LibraryBuilt.Value;
            return ProgramPath;
        }
    }

    /// <summary>Runs <c>btrfsbackup ARGUMENTS</c> with the environment variables given; <paramref name="hangGuard"/> kills it (and throws) should it hang.</summary>
    public static CakeResult RunProgram(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments, CancellationToken hangGuard = default)
    {
        _ = LibraryBuilt.Value;
        return Execute(Cli.Wrap(ProgramPath).WithArguments(arguments).WithWorkingDirectory(RepositoryRoot), environment, hangGuard);
    }

    /// <summary>
    /// Starts <c>btrfsbackup ARGUMENTS</c> and returns at once: each line of its standard output goes to
    /// <paramref name="onLine"/> as it is written (a test's barrier), all of it into <paramref name="output"/>;
    /// <paramref name="hangGuard"/> kills it should it hang.
    /// </summary>
    public static CommandTask<CommandResult> StartProgram(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments, Action<string> onLine, System.Text.StringBuilder output, CancellationToken hangGuard)
    {
        _ = LibraryBuilt.Value;
        return Cli.Wrap(ProgramPath)
            .WithArguments(arguments)
            .WithWorkingDirectory(RepositoryRoot)
            .WithEnvironmentVariables(new Dictionary<string, string?>(environment) { ["NO_COLOR"] = "1" })
            .WithStandardOutputPipe(PipeTarget.Merge(PipeTarget.ToDelegate(onLine), PipeTarget.ToStringBuilder(output)))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(hangGuard);
    }

    /// <summary>
    /// Runs <c>btrfsbackup ARGUMENTS</c> with the output exactly as written (escape codes kept) and <c>NO_COLOR</c>
    /// only if <paramref name="noColor"/>; in a terminal of its own (<c>script</c>'s pseudo-terminal) when
    /// <paramref name="inTerminal"/>, else with its output into a pipe, as under cron or systemd.
    /// </summary>
    public static CakeResult RunProgramAsWritten(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments, bool noColor, bool inTerminal = false)
    {
        _ = LibraryBuilt.Value;
        return ExecuteAsWritten([ProgramPath, .. arguments], environment, noColor, inTerminal);
    }

    /// <summary>As <see cref="RunProgramAsWritten"/>, for <c>dotnet cake build.cake ARGUMENTS</c>.</summary>
    public static CakeResult RunScriptAsWritten(IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments, bool noColor, bool inTerminal = false)
    {
        _ = LibraryBuilt.Value;
        ScriptCache.Wait();
        try
        {
            return ExecuteAsWritten(["dotnet", "cake", "build.cake", .. arguments], environment, noColor, inTerminal);
        }
        finally
        {
            ScriptCache.Release();
        }
    }

    /// <summary>
    /// Runs build.cake, or the script named first when the first argument ends in .cake, with the
    /// environment variables given (the sandbox's runtime directory, a fake clock).
    /// </summary>
    public static CakeResult Run(IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        arguments.Length > 0 && arguments[0].EndsWith(".cake", StringComparison.Ordinal)
            ? RunIn(RepositoryRoot, arguments[0], environment, arguments[1..])
            : RunIn(RepositoryRoot, "build.cake", environment, arguments);

    public static CakeResult RunIn(string workingDirectory, string script, IReadOnlyDictionary<string, string?> environment, params string[] arguments) =>
        RunIn(workingDirectory, script, environment, arguments, CancellationToken.None);

    /// <summary>As the other overloads; <paramref name="hangGuard"/> kills the run (and throws) should it hang.</summary>
    public static CakeResult RunIn(string workingDirectory, string script, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments, CancellationToken hangGuard)
    {
        _ = LibraryBuilt.Value;
        ScriptCache.Wait(hangGuard);
        try
        {
            return Execute(Cli.Wrap("dotnet").WithArguments(["cake", script, .. arguments]).WithWorkingDirectory(workingDirectory), environment, hangGuard);
        }
        finally
        {
            ScriptCache.Release();
        }
    }

    /// <summary>
    /// Held by every <c>dotnet cake</c> run of the suite: they share one compiled-script cache (tools/cache),
    /// and two runs compiling one script at once (fixtures run in parallel) can trip over each other's files.
    /// </summary>
    public static SemaphoreSlim ScriptCache { get; } = new(1, 1);

    private static CakeResult Execute(Command command, IReadOnlyDictionary<string, string?> environment, CancellationToken hangGuard)
    {
        var result = command
            .WithEnvironmentVariables(new Dictionary<string, string?>(environment) { ["NO_COLOR"] = "1" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(hangGuard)
            .GetAwaiter()
            .GetResult();
        return new CakeResult(result.ExitCode, Clean(result.StandardOutput), Clean(result.StandardError));
    }

    private static CakeResult ExecuteAsWritten(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string?> environment, bool noColor, bool inTerminal)
    {
        var command = inTerminal
            ? Cli.Wrap("script").WithArguments(["-qec", BtrfsBackup.Btrfs.ShellQuoting.Render(commandLine[0], commandLine.Skip(1)), "/dev/null"])
            : Cli.Wrap(commandLine[0]).WithArguments(commandLine.Skip(1));
        var result = command
            .WithWorkingDirectory(RepositoryRoot)
            .WithEnvironmentVariables(new Dictionary<string, string?>(environment) { ["NO_COLOR"] = noColor ? "1" : null, ["TERM"] = "xterm-256color" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .GetAwaiter()
            .GetResult();
        return new CakeResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    // Both hosts load the Release build of the library: make sure it is this checkout's code, and
    // drop compiled scripts cached against an older build of it (the cache key ignores #r assemblies).
    private static string BuildLibrary()
    {
        // Publishing builds the library too (which `dotnet cake` loads), then compiles the program as contrib/install.sh does.
        var project = Path.Combine(RepositoryRoot, "src", "BtrfsBackup.Cli");
        var output = Shell.Run("dotnet", "publish", project, "-c", "Release", "-o", Path.GetDirectoryName(ProgramPath)!, "--nologo", "-v", "q");
        var cache = Path.Combine(RepositoryRoot, "tools", "cache");
        if (Directory.Exists(cache))
        {
            Directory.Delete(cache, recursive: true);
        }

        return output;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BtrfsBackup.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("BtrfsBackup.sln not found above the test output folder.");
    }

    private static string Clean(string text) => AnsiEscape().Replace(text, string.Empty);

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}

public sealed record CakeResult(int ExitCode, string Output, string Error)
{
    public string All => Output + Error;

    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Error}";
}
