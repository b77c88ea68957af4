namespace BtrfsBackup.Configuration;

/// <summary>A validated <c>backup_config.toml</c>: pairs in the order the file gives them.</summary>
public sealed record BackupConfiguration(string FilePath, IReadOnlyList<BackupPair> Pairs)
{
    /// <summary>The file read when no path is given: <c>backup_config.toml</c>.</summary>
    public const string DefaultFileName = "backup_config.toml";

    /// <summary>The <c>[run]</c> table: history, metrics and hooks.</summary>
    internal RunSettings Run { get; init; } = new();

    /// <exception cref="BackupException">No pair has that name.</exception>
    public BackupPair GetPair(string name) =>
        Pairs.FirstOrDefault(pair => pair.Name == name)
        ?? throw new BackupException(
            $"Unknown pair '{name}' in {FilePath}. Configured pairs: {string.Join(", ", Pairs.Select(pair => pair.Name))}.");

    /// <summary>
    /// The pairs a run works on: the named ones (in the file's order), or all when none are named.
    /// </summary>
    /// <exception cref="BackupException">A name is not a configured pair.</exception>
    public IReadOnlyList<BackupPair> Select(IEnumerable<string> names)
    {
        var wanted = names.Select(name => GetPair(name).Name).ToHashSet(StringComparer.Ordinal);
        return wanted.Count == 0 ? Pairs : Pairs.Where(pair => wanted.Contains(pair.Name)).ToList();
    }
}
