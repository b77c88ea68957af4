namespace BtrfsBackup.Tests.Support;

/// <summary>Waiting for what a run under way makes on disk: a condition, not a length of time.</summary>
internal static class Waiting
{
    /// <summary>Returns once <paramref name="path"/> exists, or once <paramref name="run"/> has ended without making it.</summary>
    public static async Task UntilExistsAsync(string path, Task run)
    {
        while (!Directory.Exists(path) && !run.IsCompleted)
        {
            await Task.Delay(5);
        }
    }
}
