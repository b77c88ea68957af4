using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Parsing;

namespace BtrfsBackup.Configuration;

/// <summary>
/// Reads <c>backup_config.toml</c> into a <see cref="BackupConfiguration"/>, or fails with one
/// <see cref="ConfigurationException"/> that points at the first problem. Reading changes nothing.
/// </summary>
internal static partial class ConfigurationLoader
{
    private static readonly string[] TopLevelKeys = ["defaults", "pairs", "run"];
    private static readonly string[] RunKeys = ["history_file", "history_max_bytes", "metrics_file", "on_success", "on_failure"];
    private static readonly string[] RemoteKeys = ["ssh_identity", "ssh_options", "ssh_sudo", "stream_compress", "stream_compress_level", "rate_limit", "alert_after_days", "snapshot_when", "snapshot_on_apt"];
    private static readonly string[] DefaultsKeys = ["source_retention", "target_retention", .. RemoteKeys];
    private static readonly string[] PairKeys = ["source", "snapshot_dir", "target", "source_retention", "target_retention", "ignore_nested", .. RemoteKeys];
    private static readonly string[] RetentionKeys =
        ["keep_days", "keep_count", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "week_starts_on", "day_starts_at_hour", "keep_suffixed"];

    /// <exception cref="ConfigurationException">The file is missing, unreadable, not a regular file, or invalid.</exception>
    /// <exception cref="BackupException">Running as root, the file or a folder above it is another user's or writable by group or others.</exception>
    public static BackupConfiguration Load(string path)
    {
        // The configuration says what root deletes and which commands it runs (hooks): as sshd does, only root may be able to change it.
        if (Linux.StrictModes.Applies)
        {
            new Linux.StrictModes().EnsurePath(path, "the configuration file");
        }

        string text;
        try
        {
            // A FIFO or device would block the read, or never end: only a regular file is read.
            var kind = Linux.RealPath.TryOf(path) is { } real ? Linux.FileStatus.OfEntry(real)?.Kind : null;
            if (kind is { } found && found != Linux.FileKind.RegularFile)
            {
                throw new ConfigurationException(path, 1, 1, $"the configuration file is {Linux.FileKinds.Describe(found)}, not a regular file");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BackupException and not ConfigurationException)
        {
            throw new ConfigurationException(path, 1, 1, $"cannot read the configuration file: {e.Message}");
        }

        // Reading a file: the directories it names are there to look at, so symlinked spellings are caught too.
        return Parse(text, path, Linux.RealPath.AsFarAsItExists);
    }

    /// <summary>Parses configuration text; <paramref name="fileName"/> is what error messages call the file.</summary>
    public static BackupConfiguration Parse(string text, string fileName) => Parse(text, fileName, path => path);

    private static BackupConfiguration Parse(string text, string fileName, Func<string, string> canonical)
    {
        var document = SyntaxParser.Parse(text, fileName);
        // Tomlyn lists the parser's errors before the lexer's: the first in the file is the real one.
        var syntaxError = document.Diagnostics
            .Where(diagnostic => diagnostic.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
            .OrderBy(diagnostic => diagnostic.Span.Start.Line)
            .ThenBy(diagnostic => diagnostic.Span.Start.Column)
            .FirstOrDefault();
        if (syntaxError is not null)
        {
            var start = syntaxError.Span.Start;
            throw new ConfigurationException(fileName, start.Line + 1, start.Column + 1, $"TOML syntax error: {syntaxError.Message}");
        }

        var positions = new KeyPositions(document);
        var model = Deserialize(text, fileName, positions);
        return new ConfigurationValidator(fileName, positions, canonical).Validate(model);
    }

    private static ConfigurationFileModel Deserialize(string text, string fileName, KeyPositions positions)
    {
        try
        {
            return TomlSerializer.Deserialize(text, ConfigurationFileContext.Default.ConfigurationFileModel) ?? new ConfigurationFileModel();
        }
        catch (TomlException e)
        {
            var line = e.Line ?? 1;
            var column = e.Column ?? 1;
            var key = positions.KeyAt(line, column);
            var problem = DescribeTypeError(e.Message.TrimEnd());
            if (key is null)
            {
                throw new ConfigurationException(fileName, line, column, problem);
            }

            // Tomlyn points at the value; the error points at its key, as every other error does.
            var (keyLine, keyColumn) = positions.Of(key);
            throw new ConfigurationException(fileName, keyLine, keyColumn, $"{key}: {problem}");
        }
    }

    // Tomlyn says "Expected Integer token but was String."; users think in TOML's words.
    private static string DescribeTypeError(string message)
    {
        var match = TypeMismatch().Match(message);
        if (!match.Success)
        {
            var afterLocation = message.IndexOf(": error : ", StringComparison.Ordinal);
            return afterLocation < 0 ? message : message[(afterLocation + ": error : ".Length)..];
        }

        return $"expected {TomlKind(match.Groups[1].Value)}, found {TomlKind(match.Groups[2].Value)}";
    }

    private static string TomlKind(string token) => token switch
    {
        "Integer" => "an integer",
        "String" => "a string",
        "StartTable" => "a table",
        "StartArray" => "an array",
        "Boolean" => "a boolean",
        "Float" => "a float",
        _ => token,
    };

    [GeneratedRegex(@"Expected (\w+) token but was (\w+)")]
    private static partial Regex TypeMismatch();

    internal static IReadOnlyList<string> AllowedKeys(string section) => section switch
    {
        "" => TopLevelKeys,
        "defaults" => DefaultsKeys,
        "pair" => PairKeys,
        "run" => RunKeys,
        _ => RetentionKeys,
    };
}
