using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.CommandLine;

/// <summary>
/// btrfsbackup(8), as <c>btrfsbackup --man</c> writes it for contrib/install.sh: valid roff that groff
/// renders without a warning, saying what <c>--help</c> says (every target, argument and exit code).
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ManPageTests
{
    [Test]
    public void The_man_page_renders_without_warnings_and_names_every_target_argument_and_exit_code_of_the_help()
    {
        if (Shell.TryRun("sh", "-c", "command -v groff").ExitCode != 0)
        {
            Assert.Ignore("groff is not installed here");
        }

        var noConfig = new Dictionary<string, string?> { ["BTRFSBACKUP_CONFIG"] = null };
        var source = CakeCli.RunProgram(noConfig, ["--man"]);
        Assert.That((source.ExitCode, source.Error), Is.EqualTo((0, string.Empty)));
        Assert.That(source.Output, Does.StartWith(".TH BTRFSBACKUP 8 "));
        var file = Path.Combine(Path.GetTempPath(), $"btrfsbackup-man-test-{Environment.ProcessId}.8");
        File.WriteAllText(file, source.Output);
        try
        {
            var rendered = Shell.TryRun("groff", "-man", "-Tutf8", "-ww", "-P-cbou", file);
            Assert.That((rendered.ExitCode, rendered.StandardError), Is.EqualTo((0, string.Empty)), "groff -ww has nothing to warn about");

            var help = CakeCli.RunProgram(noConfig, ["--help"]).Output;
            var named = help.Split('\n')
                .Where(line => line.Length > 2 && line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ')
                .Select(line => line.Trim().Split(' ')[0])
                .ToList();
            Assert.That(named, Has.Count.GreaterThan(20).And.Contains("verify").And.Contains("--keep-received"));
            var text = rendered.StandardOutput.Replace('\u2010', '-').Replace('\u2212', '-');
            Assert.Multiple(() =>
            {
                foreach (var name in named)
                {
                    Assert.That(text, Does.Contain($"\n       {name}"), $"{name}, from --help, has its entry in the man page");
                }

                foreach (var code in new[] { 0, 1, 3, 4 })
                {
                    Assert.That(text, Does.Contain($"\n       {code}      "), $"exit code {code} under EXIT STATUS");
                }
            });
        }
        finally
        {
            File.Delete(file);
        }
    }
}
