namespace BtrfsBackup.Aliases;

/// <summary>
/// Exactly the documented arguments: anything that is neither the tool's nor Cake's stops the run
/// before anything is touched, naming it and the valid ones, so a typo such as <c>--dry-run</c> or
/// <c>--pairs</c> never turns into a real run on every pair.
/// </summary>
internal static class ArgumentCheck
{
    /// <summary>The tool's own arguments.</summary>
    public static IReadOnlyList<string> Ours { get; } = ["pair", "all", "apt", "suffix", "config", "format", "snapshot", "to", "from", "keep-received", "verify", "all-backups", "why", "lock-timeout"];

    /// <summary>Cake's options (it consumes all but <c>target</c> itself), for the list of valid ones and for suggestions.</summary>
    public static IReadOnlyList<string> Cakes { get; } =
        ["target", "dryrun", "verbosity", "tree", "description", "exclusive", "debug", "help", "version", "info", "bootstrap", "skip-bootstrap", "invalidate-script-cache", "no-report"];

    // Cake configuration given on the command line (--settings_skipverification=true) and what Cake adds itself.
    private static readonly string[] CakeConfigurationPrefixes = ["settings_", "paths_", "nuget_", "roslyn_"];

    /// <exception cref="BackupException">An argument is unknown; the message names it, a likely meant one, and the valid ones.</exception>
    public static void EnsureKnown(IEnumerable<string> given, IEnumerable<string> alsoAllowed)
    {
        ArgumentNullException.ThrowIfNull(given);
        var allowed = Ours.Concat(Cakes).Concat(alsoAllowed).ToList();
        foreach (var name in given)
        {
            if (allowed.Contains(name, StringComparer.OrdinalIgnoreCase)
                || CakeConfigurationPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var meant = allowed.MinBy(candidate => Distance(name.ToLowerInvariant(), candidate));
            var suggestion = meant is not null && Distance(name.ToLowerInvariant(), meant) <= Math.Max(2, meant.Length / 3) ? $"; did you mean --{meant}?" : ".";
            throw new BackupException(
                $"Unknown argument --{name}{suggestion} Nothing was touched. Valid arguments: {string.Join(", ", Ours.Concat(alsoAllowed).Select(known => $"--{known}"))}, " +
                $"and Cake's own {string.Join(", ", Cakes.Select(known => $"--{known}"))}.");
        }
    }

    // Levenshtein distance: how many letters to add, drop or change.
    private static int Distance(string from, string to)
    {
        var previous = Enumerable.Range(0, to.Length + 1).ToArray();
        for (var i = 1; i <= from.Length; i++)
        {
            var current = new int[to.Length + 1];
            current[0] = i;
            for (var j = 1; j <= to.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[to.Length];
    }
}
