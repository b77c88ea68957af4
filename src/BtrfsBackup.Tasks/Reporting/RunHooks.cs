using System.Text;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Logging;
using CliWrap;

namespace BtrfsBackup.Reporting;

/// <summary>
/// The commands a person asked to run when a run ends (<c>on_success</c>, <c>on_failure</c>): an
/// argument list, never a shell line, with the run summary on stdin and the outcome in the
/// environment. A hook that fails, or runs past its time limit (then it is killed), is a warning:
/// it never changes what the run reports or its exit code.
/// </summary>
internal static class RunHooks
{
    public const string OutcomeVariable = "BTRFSBACKUP_OUTCOME";
    public const string FailedPairsVariable = "BTRFSBACKUP_FAILED_PAIRS";

    /// <summary>Runs <paramref name="command"/> and waits for it (at most <paramref name="timeLimit"/>); returns whether it ended with status 0.</summary>
    /// <param name="command">The program's absolute path, then its arguments.</param>
    /// <param name="summary">The run summary, given on stdin.</param>
    /// <param name="outcome">"succeeded", "failed" or "interrupted", in <c>$BTRFSBACKUP_OUTCOME</c>.</param>
    /// <param name="failedPairs">The pairs that need attention, space-separated in <c>$BTRFSBACKUP_FAILED_PAIRS</c>.</param>
    /// <param name="timeLimit">How long the hook may run before it is killed.</param>
    /// <param name="log">Where a failure is reported, as a warning.</param>
    public static bool Run(IReadOnlyList<string> command, string summary, string outcome, IReadOnlyList<string> failedPairs, TimeSpan timeLimit, ITaskLog log)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(log);
        var rendered = ShellQuoting.Render(command[0], command.Skip(1).ToList());
        var output = new StringBuilder();
        using var limit = new CancellationTokenSource(timeLimit);
        try
        {
            var result = Cli.Wrap(command[0])
                .WithArguments(command.Skip(1))
                .WithEnvironmentVariables(new Dictionary<string, string?>
                {
                    [OutcomeVariable] = outcome,
                    [FailedPairsVariable] = string.Join(' ', failedPairs),
                })
                .WithStandardInputPipe(PipeSource.FromString(summary + "\n"))
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(limit.Token)
                .GetAwaiter()
                .GetResult();
            if (result.ExitCode != 0)
            {
                log.Warning($"The hook {rendered} failed with exit code {result.ExitCode}{Said(output)}; the run's result stands.");
                return false;
            }

            log.Verbose($"Ran the hook {rendered}.");
            return true;
        }
        catch (OperationCanceledException)
        {
            log.Warning($"The hook {rendered} was still running after {timeLimit.TotalSeconds:0.###} s and was killed{Said(output)}; the run's result stands.");
            return false;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            log.Warning($"The hook {rendered} could not be run: {e.Message}; the run's result stands.");
            return false;
        }
    }

    private static string Said(StringBuilder output)
    {
        var text = output.ToString().Trim();
        return text.Length == 0 ? string.Empty : $" ({(text.Length > 500 ? text[..500] + "..." : text)})";
    }
}
