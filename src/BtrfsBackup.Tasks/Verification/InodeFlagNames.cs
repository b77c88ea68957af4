namespace BtrfsBackup.Verification;

/// <summary>The inode flags (<c>chattr</c>/<c>lsattr</c> letters) verify reports; send/receive carries none of them.</summary>
internal static class InodeFlagNames
{
    public const int Compress = 0x4;
    public const int Immutable = 0x10;
    public const int AppendOnly = 0x20;
    public const int NoDump = 0x40;
    public const int NoAtime = 0x80;
    public const int NoCompress = 0x400;
    public const int NoCopyOnWrite = 0x800000;

    public const int Reported = Compress | Immutable | AppendOnly | NoDump | NoAtime | NoCompress | NoCopyOnWrite;

    private static readonly (int Flag, char Letter)[] Letters =
        [(Immutable, 'i'), (AppendOnly, 'a'), (NoCopyOnWrite, 'C'), (Compress, 'c'), (NoCompress, 'm'), (NoDump, 'd'), (NoAtime, 'A')];

    /// <summary>"+iC", or "none".</summary>
    public static string Describe(int flags)
    {
        var letters = string.Concat(Letters.Where(known => (flags & known.Flag) != 0).Select(known => known.Letter));
        return letters.Length == 0 ? "none" : "+" + letters;
    }
}
