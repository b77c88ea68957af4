using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests;

/// <summary>Before the suite, sweeps up after killed runs; after it, fails if a mount or loop device was left behind.</summary>
[SetUpFixture]
public sealed class SuiteHygiene
{
    [OneTimeSetUp]
    public void SweepLeftovers() => Leftovers.Remove();

    [OneTimeTearDown]
    public void NothingLeftBehind()
    {
        var left = Leftovers.FindOwn();
        Leftovers.Remove();
        Assert.That(left, Is.Empty, "the tests left btrfs mounts or loop devices behind");
    }
}
