namespace BtrfsBackup.Hosts;

/// <summary>
/// Two questions to hosts asked at once: over ssh they cost one round trip instead of two. Both are
/// awaited to the end whatever happens to either, so nothing is left running past the caller; the
/// first one's failure is the one thrown.
/// </summary>
internal static class Together
{
    public static async Task<(T1 First, T2 Second)> AskAsync<T1, T2>(Task<T1> first, Task<T2> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        await Task.WhenAll(first, second).ContinueWith(_ => { }, TaskScheduler.Default);
        return (await first, await second);
    }
}
