using System.Text.RegularExpressions;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;
using CliWrap;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>Two real `dotnet cake` processes at once: the same pair is refused, another pair proceeds.</summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed partial class LockingTests : RealBtrfsFixture
{
    protected override int FilesystemSizeMiB => 1024;


    [Test]
    public async Task A_second_run_on_a_busy_pair_stops_at_once_naming_the_lock_and_its_holder_while_other_pairs_proceed()
    {
        var home = PairLayout.Create(Sandbox, "home");
        var root = PairLayout.Create(Sandbox, "root");
        Files.WriteRandom(Path.Combine(home.Source, "big.bin"), 600 << 20, seed: 6);
        var config = ConfigFile.Write(Sandbox.Root, home, root);
        Assert.That(CakeCli.Run("--target=snapshot", "--pair=home", $"--config={config}").ExitCode, Is.Zero);
        var partial = Path.Combine(home.Target!, (await PairScanner.ScanAsync(home, default)).SnapshotDir.Snapshots.Single().Name.ToString());

        var first = Cli.Wrap("dotnet")
            .WithArguments(["cake", "build.cake", "--target=backup", "--pair=home", $"--config={config}"])
            .WithWorkingDirectory(CakeCli.RepositoryRoot)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        while (!Directory.Exists(partial) && !first.Task.IsCompleted)
        {
            await Task.Delay(10);
        }

        Assume.That(first.Task.IsCompleted, Is.False, "the first run must still be sending");
        var second = CakeCli.Run("--target=snapshot", "--pair=home", $"--config={config}");
        var firstRunProcesses = Processes.Tree(first.ProcessId);
        var otherPair = CakeCli.Run("--target=snapshot", "--pair=root", $"--config={config}");
        var firstResult = await first;

        Assert.That(second.ExitCode, Is.Not.Zero, second.ToString());
        var refusal = LockRefusal().Match(second.All);
        Assert.That(refusal.Success, Is.True, second.All);
        Assert.That(refusal.Groups["path"].Value, Does.StartWith("/run/lock/btrfsbackup/").And.Contain(home.SnapshotDir.Trim('/').Replace('/', '-')));
        Assert.That(firstRunProcesses, Does.Contain(int.Parse(refusal.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture)),
            "the holder named is the first run");
        Assert.That((await PairScanner.ScanAsync(home, default)).SnapshotDir.Snapshots, Has.Count.EqualTo(1), "the refused run touched nothing");
        Assert.That(otherPair.ExitCode, Is.Zero, otherPair.ToString());
        Assert.That((await PairScanner.ScanAsync(root, default)).SnapshotDir.Snapshots, Has.Count.EqualTo(1));
        Assert.That(firstResult.ExitCode, Is.Zero);
    }

    [GeneratedRegex(@"Pair 'home' is locked by another run \(process (?<pid>\d+)\), holding (?<path>\S+\.lock)\. Stopped before touching anything")]
    private static partial Regex LockRefusal();
}
