using System.Diagnostics;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Remote;

/// <summary>
/// A transfer with at least one end on another machine: <c>btrfs send</c> on one end, <c>btrfs
/// receive</c> on the other, ssh between, and zstd on both ends when the pair asks for it. This
/// process sits in the middle of the pipe and moves the stream with splice(2), as for a local
/// transfer, counting the uncompressed bytes (for progress and the report) and pacing them when a
/// rate limit is set.
/// </summary>
internal static class SshTransfer
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    public static async Task<TransferResult> RunAsync(TransferRequest request, Action<long, TimeSpan>? progress, RuntimeDirectory runtime, CancellationToken cancellation)
    {
        var stages = new List<(StreamProcess Process, SshConnection? Via, IReadOnlyList<string> Words)>();
        try
        {
            await StartAsync(request, stages, cancellation);
            var countedRelay = request.Stream.CompressionLevel is not null && request.From is not SshBtrfsHost ? 0 : stages.Count - 2;
            var relays = new List<(KernelRelay Relay, Task Moved)>();
            for (var index = 0; index < stages.Count - 1; index++)
            {
                var counted = index == countedRelay;
                var relay = new KernelRelay(
                    stages[index].Process.Output!,
                    stages[index + 1].Process.Input!,
                    counted ? () => runtime.HoldTransferIfAsked(cancellation, stages.Select(stage => $"{stage.Process.Id} {stage.Process.Display}")) : null,
                    counted ? request.Stream.RateLimit : null);
                relays.Add((relay, relay.RunAsync()));
            }

            var clock = Stopwatch.StartNew();
            using var stopping = cancellation.Register(() =>
            {
                stages.ForEach(stage => stage.Process.Interrupt());
                _ = Task.Delay(GracePeriod, CancellationToken.None).ContinueWith(_ => stages.ForEach(stage => stage.Process.ForceStop()), TaskScheduler.Default);
            });
            var finished = Task.WhenAll(stages.Select(stage => (Task)stage.Process.Completion).Concat(relays.Select(relay => relay.Moved)))
                .ContinueWith(_ => { }, TaskScheduler.Default);
            using (var ticker = new PeriodicTimer(request.ProgressInterval))
            {
                while (await Task.WhenAny(finished, ticker.WaitForNextTickAsync(CancellationToken.None).AsTask()) != finished)
                {
                    progress?.Invoke(relays[countedRelay].Relay.Bytes, clock.Elapsed);
                }
            }

            clock.Stop();
            cancellation.ThrowIfCancellationRequested();
            var failures = Failures(stages);
            if (failures.Count == 0)
            {
                failures.AddRange(relays.Where(relay => relay.Moved.IsFaulted).Select(relay => relay.Moved.Exception!.InnerException!.Message));
            }

            return failures.Count == 0
                ? new TransferResult(relays[countedRelay].Relay.Bytes, clock.Elapsed)
                : throw new BackupException(string.Join(" ", failures));
        }
        finally
        {
            foreach (var (process, _, _) in stages)
            {
                process.ForceStop();
                await process.Completion.ContinueWith(_ => { }, TaskScheduler.Default);
                process.Dispose();
            }
        }
    }

    /// <summary>The transfer as the shell pipeline it is equivalent to, for a dry run and the log.</summary>
    public static string Describe(TransferRequest request) =>
        string.Join(" | ", Stages(request).Select(stage => ShellQuoting.Render(stage.Program, stage.Arguments)));

    private static async Task StartAsync(TransferRequest request, List<(StreamProcess, SshConnection?, IReadOnlyList<string>)> stages, CancellationToken cancellation)
    {
        foreach (var stage in Stages(request))
        {
            if (stage.Via is { } connection)
            {
                await connection.EnsureOpenAsync(cancellation);
            }

            stages.Add((StreamProcess.Start(stage.Program, stage.Arguments, stage.FeedsInput, stage.GivesOutput), stage.Via, stage.RemoteWords));
        }
    }

    // From the sending end to the receiving end; a stage's stdout feeds the next one's stdin. zstd runs
    // on both machines when asked: inside the remote command on the far end, as a process here on this one.
    private static List<Stage> Stages(TransferRequest request)
    {
        var level = request.Stream.CompressionLevel;
        string[] send = [BtrfsCommand.Program, .. BtrfsCommand.Send(request.Snapshot, request.Parent).Arguments];
        string[] receive = [BtrfsCommand.Program, .. BtrfsCommand.Receive(request.TargetDirectory).Arguments];
        string[] compress = level is { } chosen ? ["zstd", "-c", $"-{chosen.ToString(System.Globalization.CultureInfo.InvariantCulture)}"] : [];
        string[] decompress = ["zstd", "-d", "-c"];
        var stages = new List<Stage>();
        if (request.From is SshBtrfsHost from)
        {
            var command = from.Connection.Command;
            stages.Add(new Stage(
                SshCommand.Program,
                level is null ? command.Arguments(command.Privileged(send), privileged: false) : command.PipelineArguments(command.Privileged(send), compress),
                FeedsInput: false,
                GivesOutput: true,
                from.Connection)
            { RemoteWords = command.Privileged(send) });
            if (level is not null && request.To is not SshBtrfsHost)
            {
                stages.Add(new Stage(decompress[0], decompress[1..], FeedsInput: true, GivesOutput: true, null));
            }
        }
        else
        {
            stages.Add(new Stage(send[0], send[1..], FeedsInput: false, GivesOutput: true, null));
            if (level is not null)
            {
                stages.Add(new Stage(compress[0], compress[1..], FeedsInput: true, GivesOutput: true, null));
            }
        }

        if (request.To is SshBtrfsHost to)
        {
            var command = to.Connection.Command;
            stages.Add(new Stage(
                SshCommand.Program,
                level is null ? command.Arguments(command.Privileged(receive), privileged: false) : command.PipelineArguments(decompress, command.Privileged(receive)),
                FeedsInput: true,
                GivesOutput: false,
                to.Connection)
            { RemoteWords = command.Privileged(receive) });
        }
        else
        {
            stages.Add(new Stage(receive[0], receive[1..], FeedsInput: true, GivesOutput: false, null));
        }

        return stages;
    }

    // RemoteWords: the btrfs command an ssh stage carries, which is what its failure names.
    private sealed record Stage(string Program, IReadOnlyList<string> Arguments, bool FeedsInput, bool GivesOutput, SshConnection? Via)
    {
        public IReadOnlyList<string> RemoteWords { get; init; } = [];
    }

    // The cause, not its echoes: a stage that only saw its pipe break was the victim of another.
    private static List<string> Failures(List<(StreamProcess Process, SshConnection? Via, IReadOnlyList<string> Words)> stages)
    {
        var failed = stages
            .Select(stage => (stage.Process, stage.Via, stage.Words, Result: stage.Process.Completion.Result))
            .Where(stage => Failed(stage.Result.ExitCode, stage.Result.Errors, stage.Via is not null))
            .ToList();
        var causes = failed.Where(stage => !BrokenPipe(stage.Result.Errors)).ToList();
        return (causes.Count > 0 ? causes : failed)
            .Select(stage => stage.Via?.Failure(stage.Words, stage.Result.ExitCode, stage.Result.Errors).Message
                ?? new ExternalCommandException(stage.Process.Display, stage.Result.ExitCode, stage.Result.Errors.Trim()).Message)
            .ToList();
    }

    /// <summary>
    /// Whether a stage failed. A remote stage is a pipeline run by the remote user's shell, which may
    /// have no pipefail: <c>btrfs send | zstd</c> ends 0 when send dies mid-stream (zstd closes the frame
    /// cleanly), so an <c>ERROR:</c> line from btrfs or a <c>zstd:</c> complaint fails it too, as btrbk does.
    /// </summary>
    internal static bool Failed(int exitCode, string errors, bool remote) =>
        exitCode != 0 || (remote && errors.Split('\n').Any(line => line.StartsWith("ERROR: ", StringComparison.Ordinal) || line.StartsWith("zstd: ", StringComparison.Ordinal)));

    private static bool BrokenPipe(string errors) =>
        errors.Contains("Broken pipe", StringComparison.Ordinal) || errors.Contains("broken pipe", StringComparison.Ordinal);
}
