namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Base of every test on real btrfs: fresh loop-mounted filesystems for each test (Sandbox),
/// unmounted and detached after it whatever happened.
/// </summary>
[Category("RealBtrfs")]
public abstract class RealBtrfsFixture
{
    public BtrfsSandbox Sandbox { get; private set; } = null!;

    protected virtual int FilesystemCount => 2;

    protected virtual int FilesystemSizeMiB => 256;

    [SetUp]
    public void CreateFilesystems() => Sandbox = BtrfsSandbox.Create(FilesystemCount, FilesystemSizeMiB);

    [TearDown]
    public void RemoveFilesystems() => Sandbox.Dispose();

    /// <summary>Runs the <c>btrfsbackup</c> program as a user would (<c>--target=X</c> or the target first), with the sandbox's runtime directory.</summary>
    protected CakeResult Cake(params string[] arguments) => CakeCli.RunProgram(Sandbox.ChildEnvironment, arguments);

    /// <summary>As <see cref="Cake"/>, with the clock standing at <paramref name="instant"/> in UTC (libfaketime): snapshot names the test knows in advance.</summary>
    protected CakeResult CakeAt(DateTimeOffset instant, params string[] arguments) =>
        CakeCli.RunProgram(FakeClock.Environment(Sandbox, instant, "UTC"), arguments);

    /// <summary>Runs <c>dotnet cake</c> (build.cake, or the script named first), with the sandbox's runtime directory.</summary>
    protected CakeResult CakeScript(params string[] arguments) => CakeCli.Run(Sandbox.ChildEnvironment, arguments);
}
