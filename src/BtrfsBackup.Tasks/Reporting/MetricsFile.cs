using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Reporting;

/// <summary>What the metrics file says of one pair of this run: its history record and the time of its newest backup, when known.</summary>
internal sealed record PairMetrics(RunRecord Record, DateTimeOffset? NewestBackup);

/// <summary>
/// The metrics for node_exporter's textfile collector, in Prometheus' text format: per pair, the
/// last run's outcome, time, duration and bytes sent, the last success, and the newest backup's
/// time and age. Replaced atomically (written aside, renamed into place), so the collector never
/// reads half a file. Pairs this run did not act on keep their samples from the previous file; a
/// pair that did not succeed this time keeps its last success from the previous file or the history.
/// </summary>
internal static partial class MetricsFile
{
    /// <summary>World-readable: node_exporter does not run as root.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly (string Name, string Help)[] Metrics =
    [
        ("btrfsbackup_last_success_timestamp_seconds", "Unix time the pair's last successful run ended."),
        ("btrfsbackup_last_run_timestamp_seconds", "Unix time the pair's last run ended, whatever its outcome."),
        ("btrfsbackup_last_run_outcome", "1 for the outcome of the pair's last run (succeeded, failed, skipped, interrupted), 0 for the others."),
        ("btrfsbackup_run_duration_seconds", "How long the pair's last run took."),
        ("btrfsbackup_bytes_sent", "Bytes sent to the pair's target in its last run."),
        ("btrfsbackup_newest_backup_timestamp_seconds", "Unix time of the newest backup on the pair's target (from its name), as last seen."),
        ("btrfsbackup_newest_backup_age_seconds", "Age of the newest backup on the pair's target when the metrics were written."),
    ];

    /// <summary>Writes the metrics to <paramref name="path"/>, reading the previous file there first for what this run does not know.</summary>
    /// <exception cref="BackupException">Something other than a regular file of the tool's stands at the path (a symlink), or it cannot be written.</exception>
    public static void Write(string path, IReadOnlyList<PairMetrics> thisRun, IReadOnlyList<string> configuredPairs, Func<string, DateTimeOffset?> lastSuccessFromHistory, DateTimeOffset now)
    {
        var previous = TrustedFiles.ReadIfPresent(path);
        TrustedFiles.WriteAtomically(path, Format(thisRun, previous, configuredPairs, lastSuccessFromHistory, now), Mode);
    }

    /// <summary>The file's text: each metric's HELP and TYPE lines, then its samples, pairs in the configuration's order.</summary>
    public static string Format(IReadOnlyList<PairMetrics> thisRun, string? previous, IReadOnlyList<string> configuredPairs, Func<string, DateTimeOffset?> lastSuccessFromHistory, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(thisRun);
        ArgumentNullException.ThrowIfNull(configuredPairs);
        ArgumentNullException.ThrowIfNull(lastSuccessFromHistory);
        var old = Parse(previous);
        var fresh = thisRun.ToDictionary(pair => pair.Record.Pair, StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var pair in configuredPairs)
        {
            if (fresh.TryGetValue(pair, out var metrics))
            {
                samples.AddRange(SamplesOf(metrics, old.Where(sample => sample.Pair == pair).ToList(), lastSuccessFromHistory, now));
            }
            else
            {
                samples.AddRange(old.Where(sample => sample.Pair == pair));
            }
        }

        var text = new StringBuilder();
        foreach (var (name, help) in Metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");
            foreach (var sample in samples.Where(sample => sample.Metric == name))
            {
                text.Append(sample.Line).Append('\n');
            }
        }

        return text.ToString();
    }

    private static IEnumerable<Sample> SamplesOf(PairMetrics metrics, List<Sample> old, Func<string, DateTimeOffset?> lastSuccessFromHistory, DateTimeOffset now)
    {
        var record = metrics.Record;
        var pair = record.Pair;
        var lastSuccess = record.Succeeded
            ? Seconds(record.Ended)
            : old.FirstOrDefault(sample => sample.Metric == Metrics[0].Name)?.Value
                ?? (lastSuccessFromHistory(pair) is { } fromHistory ? Seconds(fromHistory) : null);
        if (lastSuccess is not null)
        {
            yield return new Sample(Metrics[0].Name, pair, null, lastSuccess);
        }

        yield return new Sample(Metrics[1].Name, pair, null, Seconds(record.Ended));
        foreach (var outcome in RunOutcomes.All)
        {
            yield return new Sample(Metrics[2].Name, pair, outcome, outcome == record.Outcome ? "1" : "0");
        }

        yield return new Sample(Metrics[3].Name, pair, null, Number((record.Ended - record.Started).TotalSeconds));
        yield return new Sample(Metrics[4].Name, pair, null, Number(record.BytesSent));
        var newest = metrics.NewestBackup is { } seen
            ? Seconds(seen)
            : old.FirstOrDefault(sample => sample.Metric == Metrics[5].Name)?.Value;
        if (newest is not null)
        {
            yield return new Sample(Metrics[5].Name, pair, null, newest);
            var age = now.ToUnixTimeSeconds() - double.Parse(newest, CultureInfo.InvariantCulture);
            yield return new Sample(Metrics[6].Name, pair, null, Number(Math.Max(0, age)));
        }
    }

    private static string Seconds(DateTimeOffset instant) => Number(instant.ToUnixTimeSeconds());

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    // The previous file's samples; lines of another shape (a file edited by hand, an older version's metrics) are dropped.
    private static List<Sample> Parse(string? text) =>
        (text ?? string.Empty).Split('\n')
            .Select(line => SampleLine().Match(line))
            .Where(match => match.Success && Metrics.Any(metric => metric.Name == match.Groups[1].Value))
            .Select(match => new Sample(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Success ? match.Groups[3].Value : null, match.Groups[4].Value))
            .ToList();

    // Pair names are letters, digits, '_' and '-' (the configuration checks), so no label needs escaping.
    [GeneratedRegex(@"^(\w+)\{pair=""([A-Za-z0-9_-]+)""(?:,outcome=""(\w+)"")?\} ([0-9.]+)\z")]
    private static partial Regex SampleLine();

    private sealed record Sample(string Metric, string Pair, string? Outcome, string Value)
    {
        public string Line => Outcome is null ? $"{Metric}{{pair=\"{Pair}\"}} {Value}" : $"{Metric}{{pair=\"{Pair}\",outcome=\"{Outcome}\"}} {Value}";
    }
}
