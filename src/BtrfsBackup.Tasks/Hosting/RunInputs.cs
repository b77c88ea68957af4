using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Hosting;

/// <summary>
/// The code a run as root is made of, held to <see cref="StrictModes"/> as a run starts (the
/// configuration file is checked where it is read, in <c>ConfigurationLoader</c>): the library's
/// folder with everything in it (for the program, the program's own folder), every assembly the
/// process has loaded, and under <c>dotnet cake</c> the script with each script it <c>#load</c>s,
/// <c>cake.config</c> and Cake's <c>tools</c> folder (the script cache). This catches a checkout or
/// an installation another user can change before that user does; code already changed ran before
/// this check could (see docs/security.md).
/// </summary>
internal static partial class RunInputs
{
    /// <summary>Refuses to go on, as root, with code another user owns or can write; does nothing for another user.</summary>
    /// <exception cref="BackupException">Names the file or folder, its owner and mode, and the fix.</exception>
    public static void EnsureTrusted()
    {
        if (!StrictModes.Applies)
        {
            return;
        }

        var modes = new StrictModes();
        var (code, description) = CodeFolder();
        modes.EnsureTree(code, description);

        if (IsCakeScriptRun())
        {
            var folder = Environment.CurrentDirectory;
            foreach (var script in ScriptsOf(ScriptPath(folder)))
            {
                modes.EnsurePath(script, "the Cake script");
            }

            modes.EnsurePath(Path.Combine(folder, "cake.config"), "Cake's settings file");
            modes.EnsureTree(Path.Combine(folder, "tools"), "Cake's tools folder (the script cache)");
        }

        foreach (var location in LoadedAssemblyFiles())
        {
            modes.EnsurePath(location, "the loaded assembly");
        }
    }

    // The installed program is native code, one file with the library in it: no assembly has a file
    // of its own, and the program's folder (the kernel's path of the running file) holds it.
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location is handled: the program's folder is checked instead.")]
    private static (string Folder, string Description) CodeFolder()
    {
        if (Path.GetDirectoryName(typeof(RunInputs).Assembly.Location) is { Length: > 0 } library)
        {
            return (library, "the library's folder");
        }

        var program = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        return program.Length > 0
            ? (program, "the program's folder")
            : throw new BackupException("refusing to run as root: the program's own folder is unknown (is /proc mounted?), so it cannot be checked");
    }

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "Assemblies without a file of their own (native program) are skipped; the program's file is in the library's folder, checked whole.")]
    private static IEnumerable<string> LoadedAssemblyFiles() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(assembly => !assembly.IsDynamic && assembly.Location.Length > 0)
            .Select(assembly => assembly.Location);

    // Under `dotnet cake` the process is Cake's own program, which has made the script's folder the current one.
    private static bool IsCakeScriptRun() => Assembly.GetEntryAssembly()?.GetName().Name == "Cake";

    // `dotnet cake [SCRIPT] [--options]`: the script named on the command line, else build.cake.
    private static string ScriptPath(string folder)
    {
        var named = Environment.GetCommandLineArgs().Skip(1).FirstOrDefault(argument => !argument.StartsWith('-') && argument.EndsWith(".cake", StringComparison.OrdinalIgnoreCase));
        return Path.Combine(folder, Path.GetFileName(named ?? "build.cake"));
    }

    /// <summary>The script and every script it loads (<c>#load "PATH"</c>, relative to the loading script), each once.</summary>
    public static IReadOnlyList<string> ScriptsOf(string script)
    {
        var found = new List<string>();
        var pending = new Queue<string>([Path.GetFullPath(script)]);
        while (pending.TryDequeue(out var next))
        {
            if (found.Contains(next, StringComparer.Ordinal))
            {
                continue;
            }

            found.Add(next);
            if (FileStatus.OfEntry(next) is null)
            {
                continue;
            }

            foreach (Match load in LoadDirective().Matches(File.ReadAllText(next)))
            {
                // nuget: and other schemes come from Cake's tools folder, checked as a whole.
                var target = load.Groups["path"].Value;
                if (!Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase) && !target.Contains('*', StringComparison.Ordinal))
                {
                    pending.Enqueue(Path.GetFullPath(target, Path.GetDirectoryName(next)!));
                }
            }
        }

        return found;
    }

    [GeneratedRegex("""^\s*#(?:load|l)\s+"(?<path>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LoadDirective();
}
