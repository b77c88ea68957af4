using Cake.Core;

namespace BtrfsBackup.Aliases;

/// <summary>What the Cake command line asked for, beyond what Cake hands to scripts.</summary>
internal static class CakeCommandLine
{
    private static readonly string[] DryRunSwitches = ["dryrun", "noop", "whatif"];
    private static readonly string[] ShowOnlySwitches = ["tree", "description", "showdescription", "showtree", "help", "version", "info"];

    /// <summary>
    /// Cake 7 consumes <c>--dryrun</c> (and <c>--noop</c>, <c>--whatif</c>) itself: neither the
    /// script's arguments nor <c>IsDryRun()</c> show it, so read the process's own command line.
    /// </summary>
    public static bool IsDryRun(ICakeContext context) =>
        DryRunSwitches.Any(context.Arguments.HasArgument) || Environment.GetCommandLineArgs().Skip(1).Any(IsDryRunSwitch);

    /// <summary>True for <c>--tree</c>, <c>--description</c> and the like: Cake shows the graph and runs nothing.</summary>
    public static bool ShowsOnly() =>
        Environment.GetCommandLineArgs().Skip(1).Any(argument => argument.StartsWith("--", StringComparison.Ordinal)
            && ShowOnlySwitches.Contains(argument[2..].Split('=', 2)[0], StringComparer.OrdinalIgnoreCase));

    /// <summary>Every value of a repeatable, comma-separable argument such as <c>--pair=a,b --pair=c</c>.</summary>
    /// <exception cref="BackupException">The argument is given without a value (<c>--pair</c> alone).</exception>
    public static IReadOnlyList<string> Values(ICakeContext context, string name)
    {
        if (!context.Arguments.HasArgument(name))
        {
            return [];
        }

        var values = context.Arguments.GetArguments(name);
        if (values.Count == 0 || values.Any(string.IsNullOrWhiteSpace))
        {
            throw new BackupException($"--{name} needs a value, as in --{name}=NAME.");
        }

        return values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    /// <summary>A single-valued argument; "" when given bare (<c>--suffix</c>), null when absent.</summary>
    public static string? Value(ICakeContext context, string name) =>
        context.Arguments.HasArgument(name) ? context.Arguments.GetArguments(name).LastOrDefault() ?? string.Empty : null;

    private static bool IsDryRunSwitch(string argument)
    {
        if (!argument.StartsWith('-'))
        {
            return false;
        }

        var parts = argument.TrimStart('-').Split('=', 2);
        return DryRunSwitches.Contains(parts[0], StringComparer.OrdinalIgnoreCase)
            && (parts.Length == 1 || !string.Equals(parts[1], "false", StringComparison.OrdinalIgnoreCase));
    }
}
