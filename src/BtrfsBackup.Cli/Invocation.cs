using Cake.Core.Diagnostics;

namespace BtrfsBackup.Cli;

/// <summary>
/// What the command line asks for, split as Cake splits it: the target (the first word, or
/// <c>--target</c>), Cake's own options (dry run, tree, description, exclusive, verbosity), and the
/// rest, which become the script arguments the tasks read (<c>--pair</c>, <c>--all</c>, ...) and
/// check (an unknown one stops the run).
/// </summary>
internal sealed record Invocation(
    string? Target,
    bool DryRun,
    bool Tree,
    bool Description,
    bool Exclusive,
    bool Help,
    bool Version,
    Verbosity Verbosity,
    bool NoReport,
    ILookup<string, string> Arguments,
    string? Problem)
{
    private static readonly string[] DryRunNames = ["dryrun", "noop", "whatif"];

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        string? target = null;
        bool dryRun = false, tree = false, description = false, exclusive = false, help = false, version = false;
        var verbosity = Verbosity.Normal;
        var verbosityGiven = false;
        var noReport = false;
        string? problem = null;
        var arguments = new List<(string Name, string Value)>();
        for (var index = 0; index < args.Count; index++)
        {
            var token = args[index];
            if (!token.StartsWith('-'))
            {
                if (index == 0 && token == "help")
                {
                    help = true;
                    target = index + 1 < args.Count ? args[++index] : null;
                }
                else if (index == 0)
                {
                    target = token;
                }
                else
                {
                    problem ??= $"Unexpected '{token}': a target comes first (btrfsbackup TARGET [--option=value ...]).";
                }

                continue;
            }

            var (name, value) = Split(token);
            string TakeValue() => value ?? (index + 1 < args.Count && !args[index + 1].StartsWith('-') ? args[++index] : string.Empty);
            switch (name.ToLowerInvariant())
            {
                case "target" or "t":
                    target = TakeValue();
                    break;
                case var dry when DryRunNames.Contains(dry):
                    dryRun = value is null || !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
                    break;
                case "tree" or "showtree":
                    tree = true;
                    break;
                case "description" or "showdescription":
                    description = true;
                    break;
                case "exclusive" or "e":
                    exclusive = true;
                    break;
                case "help" or "h":
                    help = true;
                    break;
                case "version":
                    version = true;
                    break;
                case "no-report":
                    noReport = true;
                    break;
                case "verbosity" or "v":
                    verbosityGiven = true;
                    var level = TakeValue();
                    if (!Enum.TryParse<Verbosity>(level, ignoreCase: true, out verbosity) || !Enum.IsDefined(verbosity))
                    {
                        problem ??= $"--verbosity must be quiet, minimal, normal, verbose or diagnostic, not '{level}'.";
                        verbosity = Verbosity.Normal;
                    }

                    break;
                default:
                    arguments.Add((name, value ?? (index + 1 < args.Count && !args[index + 1].StartsWith('-') && IsValued(name) ? args[++index] : string.Empty)));
                    break;
            }
        }

        // JSON is for programs: standard output holds it alone, unless a verbosity is asked for.
        var json = arguments.Any(argument => string.Equals(argument.Name, "format", StringComparison.OrdinalIgnoreCase)
            && string.Equals(argument.Value, "json", StringComparison.OrdinalIgnoreCase));
        if (json && !verbosityGiven)
        {
            verbosity = Verbosity.Quiet;
        }

        return new Invocation(target, dryRun, tree, description, exclusive, help, version, verbosity, noReport || json,
            arguments.ToLookup(argument => argument.Name, argument => argument.Value, StringComparer.OrdinalIgnoreCase), problem);
    }

    // The tool's switches take no value; its other arguments do, written --name=value or --name value.
    private static bool IsValued(string name) => !Switches.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Switches = ["all", "all-backups", "apt", "why"];

    private static (string Name, string? Value) Split(string token)
    {
        var body = token.TrimStart('-');
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (body, null) : (body[..equals], body[(equals + 1)..]);
    }
}
