using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.CommandLine;

/// <summary>
/// <c>btrfsbackup --help</c>, <c>help TARGET</c>, and a mistyped target or argument, compared exactly with
/// Reference/cli (exit code, standard output, standard error). None of them reads a configuration.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class HelpReferenceTests
{
    // Not there, so that an output depending on a configuration would show it.
    private const string NoConfig = "--config=/nonexistent/btrfsbackup-help-test.toml";

    [TestCase("help.txt", "--help")]
    [TestCase("help.txt", "help")]
    [TestCase("help-restore.txt", "help", "restore")]
    [TestCase("no-arguments.txt")]
    [TestCase("help-unknown-target.txt", "help", "nightlly")]
    [TestCase("unknown-target.txt", "snapshots", "--all", NoConfig)]
    [TestCase("unknown-argument.txt", "nightly", "--dry-run", NoConfig)]
    [TestCase("unknown-argument-no-suggestion.txt", "list", "--colour=never", NoConfig)]
    public void Output_is_the_reference(string reference, params string[] arguments)
    {
        var result = CakeCli.RunProgram(new Dictionary<string, string?> { ["BTRFSBACKUP_CONFIG"] = null }, arguments);

        Compare(reference, $"exit code {result.ExitCode}\n--- stdout\n{result.Output}--- stderr\n{result.Error}");
    }

    private static void Compare(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("UPDATE_REFERENCE") == "1")
        {
            var sourceFile = Path.Combine(CakeCli.RepositoryRoot, "tests", "BtrfsBackup.Tasks.Tests", "Reference", "cli", name);
            File.WriteAllText(sourceFile, actual);
            Assert.Pass($"UPDATE_REFERENCE=1: wrote {sourceFile}; review it with git diff before committing");
        }

        var expectedFile = Path.Combine(AppContext.BaseDirectory, "Reference", "cli", name);
        Assert.That(File.Exists(expectedFile), Is.True, $"{expectedFile} is missing; run with UPDATE_REFERENCE=1 to write it. The output is:\n{actual}");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedFile)), $"the output differs from Reference/cli/{name} (UPDATE_REFERENCE=1 rewrites it on purpose)");
    }
}
