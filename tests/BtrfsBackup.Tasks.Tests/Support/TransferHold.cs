namespace BtrfsBackup.Tests.Support;

/// <summary>
/// The tool's barrier for transfers (RuntimeDirectory.HoldTransferIfAsked): while it is armed, a
/// run in this sandbox stops its transfer right after the first chunk is received and says so, so a
/// test can kill or signal it at a known point instead of racing it.
/// </summary>
internal sealed class TransferHold
{
    private readonly string folder;

    private TransferHold(string folder) => this.folder = folder;

    public static TransferHold Arm(BtrfsSandbox sandbox)
    {
        var folder = Path.Combine(sandbox.Runtime.Root, "hold-transfers");
        Directory.CreateDirectory(sandbox.Runtime.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new TransferHold(folder);
    }

    /// <summary>Lets the held transfer go on (if its run is still there) and holds no later one.</summary>
    public void Disarm()
    {
        File.WriteAllText(Path.Combine(folder, "release"), string.Empty);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The pid of the held transfer's process whose command line starts with <paramref name="commandStart"/>, as the run wrote it (over ssh: its ssh processes).</summary>
    public int ProcessOf(string commandStart)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "started")).Skip(1);
        var line = lines.Single(line => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].StartsWith(commandStart, StringComparison.Ordinal));
        return int.Parse(line[..line.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Returns once a transfer is held (its receive has begun), or once <paramref name="run"/> has ended without one.</summary>
    public async Task<bool> WaitUntilHeldAsync(Task run)
    {
        var started = Path.Combine(folder, "started");
        while (!File.Exists(started) && !run.IsCompleted)
        {
            await Task.Delay(10);
        }

        return File.Exists(started);
    }
}
