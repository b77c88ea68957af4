using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// What people read in a journal, a log file or a terminal: no colour codes unless standard output is a
/// terminal and <c>NO_COLOR</c> is not set; no task banner standing empty at normal verbosity.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class ReadableOutputTests : RealBtrfsFixture
{
    // A colour (SGR) code; a terminal also gets .NET's keypad-mode codes, which are not colour.
    private const string Colour = @"\u001b\[[0-9;]*m";
    private string config = null!;

    [SetUp]
    public void CreateAPair() => config = ConfigFile.Write(Sandbox.Root, PairLayout.Create(Sandbox, "home"));

    [Test]
    public void The_program_writes_no_colour_into_a_pipe_even_without_NO_COLOR()
    {
        var result = CakeCli.RunProgramAsWritten(Sandbox.ChildEnvironment, ["nightly", $"--config={config}"], noColor: false);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("created snapshot"), result.ToString());
        Assert.That(result.All, Does.Not.Match(Colour), result.ToString());
    }

    [Test]
    public void In_a_terminal_the_program_colours_its_output_unless_NO_COLOR_is_set()
    {
        var coloured = CakeCli.RunProgramAsWritten(Sandbox.ChildEnvironment, ["list", $"--config={config}", "--pair=nosuch"], noColor: false, inTerminal: true);
        var plain = CakeCli.RunProgramAsWritten(Sandbox.ChildEnvironment, ["list", $"--config={config}", "--pair=nosuch"], noColor: true, inTerminal: true);

        Assert.That(coloured.All, Does.Match(Colour).And.Contain("Unknown pair 'nosuch'"), "the terminal gets colour: " + coloured);
        Assert.That(plain.All, Does.Not.Match(Colour).And.Contain("Unknown pair 'nosuch'"), plain.ToString());
    }

    [Test]
    public void Dotnet_cake_writes_no_colour_with_NO_COLOR_as_the_systemd_unit_and_the_cron_line_set_it()
    {
        var result = CakeCli.RunScriptAsWritten(Sandbox.ChildEnvironment, ["--target=nightly", $"--config={config}"], noColor: true);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("created snapshot"), result.ToString());
        Assert.That(result.All, Does.Not.Match(Colour), result.ToString());
    }

    [Test]
    public void At_normal_verbosity_a_task_that_says_nothing_gets_no_banner()
    {
        var result = Cake("nightly", $"--config={config}");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var banners = Banners(result.Output);
        Assert.That(banners, Does.Contain("Snapshot:home").And.Contain("Send:home"), result.ToString());
        Assert.That(banners, Does.Not.Contain("Scan:home").And.Not.Contain("nightly"), "Scan:home and the target log nothing at normal verbosity: " + result);
    }

    [Test]
    public void At_verbose_every_task_gets_its_banner()
    {
        var result = Cake("nightly", $"--config={config}", "--verbosity=verbose");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Banners(result.Output), Is.SupersetOf(new[] { "Scan:home", "Snapshot:home", "Send:home", "Purge:home", "nightly" }), result.ToString());
    }

    // Cake's banner: a line of '═', the task's name, a line of '═'.
    private static List<string> Banners(string output)
    {
        var lines = output.Split('\n').Select(line => line.Trim()).ToList();
        return lines.Skip(1).SkipLast(1)
            .Select((line, index) => (line, above: lines[index], below: lines[index + 2]))
            .Where(row => row.above.StartsWith('═') && row.below.StartsWith('═') && row.line.Length > 0 && !row.line.StartsWith('═'))
            .Select(row => row.line)
            .ToList();
    }
}
