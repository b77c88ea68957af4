namespace BtrfsBackup.Verification;

/// <summary>Lines of one kind (differences, or what send/receive does not carry), the first <see cref="Cap"/> kept and all counted.</summary>
public sealed class Findings
{
    /// <summary>How many lines a report shows of each kind.</summary>
    public const int Cap = 20;

    private readonly List<string> first = [];

    /// <summary>The first lines, at most <see cref="Cap"/>.</summary>
    public IReadOnlyList<string> First => first;

    /// <summary>How many lines there were in all.</summary>
    public int Count { get; private set; }

    /// <summary>Whether there is any.</summary>
    public bool Any => Count > 0;

    internal void Add(string line)
    {
        Count++;
        if (first.Count < Cap)
        {
            first.Add(line);
        }
    }
}
