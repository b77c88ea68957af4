// Times the tool's send | receive (LocalTransfer) against the raw shell pipe
// `btrfs send S | btrfs receive T` on the same snapshot, alternating which goes first, and prints
// the median ratio of wall times. Run by bench/send-throughput.sh, which makes the filesystems.
using System.Diagnostics;
using System.Globalization;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;
using CliWrap;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SendThroughput SNAPSHOT CHANGED_SNAPSHOT TARGET_DIR [ROUNDS]");
    return 2;
}

var (snapshot, changed, target) = (args[0], args[1], args[2]);
var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 6;
var name = Path.GetFileName(snapshot);
var ratios = new List<double>();
var toolTimes = new List<double>();
var rawTimes = new List<double>();
long fullBytes = 0;
var runtime = new RuntimeDirectory(Path.Combine(Path.GetDirectoryName(target)!, "run"));
var transfers = new LocalTransfer(runtime);
var host = LocalBtrfsHost.Instance;
Task<TransferResult> Transfer(string sent, string? parent) => transfers.RunAsync(new TransferRequest(host, sent, parent, host, target), null, CancellationToken.None);

// One untimed pass of each first: JIT, page cache and btrfs metadata warm up for both alike.
await Transfer(snapshot, null);
await Run("btrfs", "subvolume", "delete", "-c", Path.Combine(target, name));
await Run("sh", "-c", "btrfs send -q \"$1\" | btrfs receive -q \"$2\"", "sh", snapshot, target);
await Run("btrfs", "subvolume", "delete", "-c", Path.Combine(target, name));
await Run("btrfs", "subvolume", "sync", target);

for (var round = 0; round < rounds; round++)
{
    // Alternate the order so that neither side always runs on a warmer cache.
    var toolFirst = round % 2 == 0;
    double tool = 0, raw = 0;
    foreach (var runTool in toolFirst ? new[] { true, false } : [false, true])
    {
        var clock = Stopwatch.StartNew();
        if (runTool)
        {
            fullBytes = (await Transfer(snapshot, null)).Bytes;
            tool = clock.Elapsed.TotalSeconds;
        }
        else
        {
            await Run("sh", "-c", "btrfs send -q \"$1\" | btrfs receive -q \"$2\"", "sh", snapshot, target);
            raw = clock.Elapsed.TotalSeconds;
        }

        await Run("btrfs", "subvolume", "delete", "-c", Path.Combine(target, name));
        await Run("btrfs", "subvolume", "sync", target);
    }

    toolTimes.Add(tool);
    rawTimes.Add(raw);
    ratios.Add(tool / raw);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: tool {tool:0.000} s, raw {raw:0.000} s, ratio {tool / raw:0.000}"));
}

// The incremental after the change, from the full snapshot once it is on the target.
await Transfer(snapshot, null);
var increment = await Transfer(changed, snapshot);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full send: {fullBytes} bytes; median time tool {Median(toolTimes):0.000} s, raw {Median(rawTimes):0.000} s ({fullBytes / 1e6 / Median(toolTimes):0.0} MB/s through the tool)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio tool/raw over {rounds} rounds: {Median(ratios):0.000}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"incremental after the change: {increment.Bytes} bytes = {100.0 * increment.Bytes / fullBytes:0.00}% of the full send"));
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task Run(string program, params string[] arguments) =>
    await Cli.Wrap(program).WithArguments(arguments).ExecuteAsync();
