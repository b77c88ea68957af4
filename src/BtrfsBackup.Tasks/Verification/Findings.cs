namespace BtrfsBackup.Verification;

/// <summary>Lines of one kind (differences, or what send/receive does not carry), the first <see cref="Cap"/> kept and all counted.</summary>
public sealed class Findings
{
    /// <summary>How many lines a report shows of each kind.</summary>
    public const int Cap = 20;

    private readonly List<string> first = [];

    public IReadOnlyList<string> First => first;

    public int Count { get; private set; }

    public bool Any => Count > 0;

    public void Add(string line)
    {
        Count++;
        if (first.Count < Cap)
        {
            first.Add(line);
        }
    }
}
