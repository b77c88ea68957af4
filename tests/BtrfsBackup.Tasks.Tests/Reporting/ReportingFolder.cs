namespace BtrfsBackup.Tests.Reporting;

/// <summary>A folder of the test's own for history, metrics and hook scripts, removed afterwards.</summary>
internal sealed class ReportingFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory($"btrfsbackup-reporting-test-{Environment.ProcessId}-").FullName;

    public string History => Path.Combine(Root, "state", "history.jsonl");

    public string Metrics => Path.Combine(Root, "btrfsbackup.prom");

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>A shell script the hook runs: it writes its stdin, arguments and BTRFSBACKUP_* variables to files beside it, then runs <paramref name="tail"/>.</summary>
    public string HookScript(string name, string tail = "exit 0")
    {
        var path = PathOf(name);
        File.WriteAllText(path, $"""
            #!/bin/sh
            cat > '{path}.stdin'
            echo "$@" > '{path}.args'
            echo "outcome=$BTRFSBACKUP_OUTCOME failed=$BTRFSBACKUP_FAILED_PAIRS" > '{path}.env'
            {tail}

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
