using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Identity;

/// <summary>
/// Small inputs with large effects: a configuration path naming a FIFO (reading it would wait for
/// ever). The control character in a path is a reference case in Reference/config-errors; the FIFO
/// folder left by a run killed outright is in Faults/TransferFaultTests.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class SmallInputTests : RealBtrfsFixture
{
    private static readonly DateTimeOffset FirstNight = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_config_path_naming_a_fifo_is_refused_as_not_a_regular_file()
    {
        var fifo = Path.Combine(Sandbox.Root, "config.fifo");
        Shell.Run("mkfifo", fifo);

        // Only so that a run blocked on the FIFO fails the test instead of blocking the suite.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        CakeResult result;
        try
        {
            result = CakeCli.RunProgram(FakeClock.Environment(Sandbox, FirstNight, Tool.Utc), ["--target=list", $"--config={fifo}"], guard.Token);
        }
        catch (OperationCanceledException)
        {
            ReleaseReaders(fifo);
            Assert.Fail($"the run was still reading the FIFO {fifo} after 120 s and was killed");
            return;
        }

        TestContext.Out.WriteLine(result.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Not.Zero, "exit code");
            Assert.That(Tool.Lines(result, fifo, "not a regular file"), Is.Not.Empty, $"a line says {fifo} is not a regular file");
        }
    }

    // A reader still blocked opening the FIFO is let go: an open for reading and writing never blocks, and its close is end of file.
    private static void ReleaseReaders(string fifo) => Shell.TryRun("sh", "-c", ": 3<>\"$1\"", "sh", fifo);
}
