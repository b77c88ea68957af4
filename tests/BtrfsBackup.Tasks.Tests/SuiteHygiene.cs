using BtrfsBackup.Configuration;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests;

/// <summary>
/// Before the suite, sweeps up after killed runs; after it, fails if a mount or loop device was left
/// behind, or if a run wrote the machine's own state folder (its history), which tests must never touch.
/// </summary>
[SetUpFixture]
public sealed class SuiteHygiene
{
    private bool stateFolderExisted;

    [OneTimeSetUp]
    public void SweepLeftovers()
    {
        stateFolderExisted = Directory.Exists(RunSettings.DefaultStateDirectory);
        Leftovers.Remove();
    }

    [OneTimeTearDown]
    public void NothingLeftBehind()
    {
        var left = Leftovers.FindOwn();
        Leftovers.Remove();
        Assert.That(left, Is.Empty, "the tests left btrfs mounts or loop devices behind");
        Assert.That(
            !stateFolderExisted && Directory.Exists(RunSettings.DefaultStateDirectory),
            Is.False,
            $"a test made {RunSettings.DefaultStateDirectory}: runs in tests must keep their history in the sandbox ({RunSettings.StateDirectoryVariable})");
    }
}
