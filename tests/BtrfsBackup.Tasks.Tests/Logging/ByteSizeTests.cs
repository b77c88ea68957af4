using BtrfsBackup.Logging;

namespace BtrfsBackup.Tests.Logging;

/// <summary>Figures people read in a journal: one unit system (B, KiB, MiB, GiB; MiB/s), small sends exact, never "0.0 MB/s".</summary>
public sealed class ByteSizeTests
{
    [TestCase(0, "0 B")]
    [TestCase(124, "124 B")]
    [TestCase(1023, "1023 B")]
    [TestCase(1024, "1.0 KiB")]
    [TestCase(12 * 1024 * 1024 + 512 * 1024, "12.5 MiB")]
    [TestCase(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void Sizes_are_binary_units(long bytes, string expected) => Assert.That(ByteSize.Format(bytes), Is.EqualTo(expected));

    [Test]
    public void A_small_send_gives_its_exact_bytes_and_time_and_no_rate() =>
        Assert.That(ByteSize.Transferred(124, TimeSpan.FromMilliseconds(20)), Is.EqualTo("124 B in 0.02 s"));

    [Test]
    public void A_large_send_gives_a_rate_in_MiB_per_second() =>
        Assert.That(ByteSize.Transferred(64L * 1024 * 1024, TimeSpan.FromSeconds(2)), Is.EqualTo("64.0 MiB in 2.0 s, 32.0 MiB/s"));

    [Test]
    public void No_figure_uses_decimal_megabytes()
    {
        var figures = new[]
        {
            ByteSize.Transferred(500_000, TimeSpan.FromSeconds(3)),
            ByteSize.Transferred(5_000_000, TimeSpan.FromSeconds(3)),
            ByteSize.Progress(5_000_000, TimeSpan.FromSeconds(3)),
        };

        Assert.That(figures, Has.None.Contains("MB").And.None.Contains("0.0 MiB/s"), string.Join("\n", figures));
    }
}
