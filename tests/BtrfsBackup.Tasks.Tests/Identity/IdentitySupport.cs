using System.Text;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>The tool, run only through its command line (the btrfsbackup program, the tasks of `dotnet cake build.cake`) at a fake instant.</summary>
internal static class Tool
{
    public const string Utc = "UTC";

    /// <summary>Runs the btrfsbackup program with ARGUMENTS --config=CONFIG; its output goes to the test's log, for reading after a failure.</summary>
    public static CakeResult Run(BtrfsSandbox sandbox, DateTimeOffset instant, string zone, string config, params string[] arguments)
    {
        // Only so that a run that hangs (the faked clock stands still) fails its test instead of blocking the suite.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var result = CakeCli.RunProgram(FakeClock.Environment(sandbox, instant, zone), [.. arguments, $"--config={config}"], guard.Token);
        TestContext.Out.WriteLine($"$ btrfsbackup {string.Join(' ', arguments)} --config={config}   (at {instant:u} in {zone})");
        TestContext.Out.WriteLine(result.ToString());
        return result;
    }

    public static CakeResult Nightly(BtrfsSandbox sandbox, DateTimeOffset instant, string config, params string[] arguments) =>
        Run(sandbox, instant, Utc, config, ["--target=nightly", .. arguments]);

    public static CakeResult List(BtrfsSandbox sandbox, DateTimeOffset instant, string config, params string[] arguments) =>
        Run(sandbox, instant, Utc, config, ["--target=list", .. arguments]);

    /// <summary>The lines of the output that contain every one of <paramref name="parts"/> (a failed assertion on them stays short).</summary>
    public static string[] Lines(CakeResult result, params string[] parts) =>
        result.All.Split('\n')
            .Where(line => parts.All(part => line.Contains(part, StringComparison.Ordinal)))
            .Select(line => line.TrimEnd('\r'))
            .ToArray();
}

/// <summary>A subvolume as `btrfs subvolume show` describes it.</summary>
internal sealed record Subvolume(string Path, Guid Uuid, Guid? ParentUuid, Guid? ReceivedUuid, bool IsReadOnly)
{
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>What is on the filesystems, read with the btrfs command (no library types: their API is being rewritten).</summary>
internal static class Subvolumes
{
    public static Subvolume Show(string path) =>
        TryShow(path) ?? throw new InvalidOperationException($"{path} is not a btrfs subvolume");

    public static Subvolume? TryShow(string path)
    {
        var result = Shell.TryRun("btrfs", "subvolume", "show", path);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var fields = result.StandardOutput.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim())
            .ToDictionary(group => group.Key, group => group.First()[1].Trim());
        return new Subvolume(
            path,
            Guid.Parse(fields["UUID"]),
            OptionalUuid(fields["Parent UUID"]),
            OptionalUuid(fields["Received UUID"]),
            fields["Flags"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("readonly"));
    }

    /// <summary>The subvolumes directly in <paramref name="directory"/>, by name (none when it does not exist).</summary>
    public static List<Subvolume> In(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.EnumerateDirectories(directory)
                .Order(StringComparer.Ordinal)
                .Select(TryShow)
                .OfType<Subvolume>()
                .ToList();

    public static string[] NamesIn(string directory) => In(directory).Select(subvolume => subvolume.Name).ToArray();

    /// <summary>A read-only snapshot made by hand, the way a user (or another tool) would.</summary>
    public static Subvolume SnapshotReadOnly(string source, string destination)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        Shell.Run("btrfs", "subvolume", "snapshot", "-r", source, destination);
        return Show(destination);
    }

    private static Guid? OptionalUuid(string text) => text == "-" ? null : Guid.Parse(text);
}

/// <summary>One pair of a test's configuration; the TOML is written by hand, every path escaped.</summary>
internal sealed record TestPair(string Name, string Source, string SnapshotDir, string? Target)
{
    public (int KeepDays, int KeepCount)? SourceRetention { get; init; }

    public (int KeepDays, int KeepCount)? TargetRetention { get; init; }

    /// <summary>Lines written as they are into the pair's table, e.g. <c>ignore_nested = ["/srv/x"]</c>.</summary>
    public IReadOnlyList<string> ExtraLines { get; init; } = [];

    /// <summary>
    /// A source subvolume fs0/NAME holding hello.txt, snapshots in fs0/.snapshots/NAME, backups in
    /// fs1/backup/TARGETFOLDER (made here; NAME unless said otherwise).
    /// </summary>
    public static TestPair Create(BtrfsSandbox sandbox, string name, string? targetFolder = null)
    {
        var system = sandbox.Filesystems[0].MountPoint;
        var source = BtrfsSandbox.CreateSubvolume(Path.Combine(system, name));
        File.WriteAllText(Path.Combine(source, "hello.txt"), $"hello from {name}\n");
        var target = Directory.CreateDirectory(Path.Combine(sandbox.Filesystems[1].MountPoint, "backup", targetFolder ?? name)).FullName;
        return new TestPair(name, source, Path.Combine(system, ".snapshots", name), target);
    }

    /// <summary>Writes <paramref name="pairs"/> to <paramref name="directory"/>/<paramref name="fileName"/> and returns its path.</summary>
    public static string WriteConfig(string directory, string fileName, params TestPair[] pairs)
    {
        var text = new StringBuilder();
        foreach (var pair in pairs)
        {
            text.AppendLine($"[pairs.{pair.Name}]");
            text.AppendLine($"source = {ConfigFile.Quote(pair.Source)}");
            text.AppendLine($"snapshot_dir = {ConfigFile.Quote(pair.SnapshotDir)}");
            if (pair.Target is not null)
            {
                text.AppendLine($"target = {ConfigFile.Quote(pair.Target)}");
                text.AppendLine("alert_after_days = 0");
            }

            if (pair.SourceRetention is { } source)
            {
                text.AppendLine($"source_retention = {{ keep_days = {source.KeepDays}, keep_count = {source.KeepCount} }}");
            }

            if (pair.TargetRetention is { } target)
            {
                text.AppendLine($"target_retention = {{ keep_days = {target.KeepDays}, keep_count = {target.KeepCount} }}");
            }

            foreach (var line in pair.ExtraLines)
            {
                text.AppendLine(line);
            }

            text.AppendLine();
        }

        var path = Path.Combine(directory, fileName);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
