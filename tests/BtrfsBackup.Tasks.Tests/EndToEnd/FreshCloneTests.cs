using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// <c>dotnet cake</c> in a clone where nothing is built yet: the scripts as checked in, without the
/// library's build output. It must say what to do, not <c>Value cannot be null. (Parameter 'references[25]')</c>.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class FreshCloneTests
{
    private string clone = null!;

    [SetUp]
    public void CopyTheScriptsWithoutTheLibrary()
    {
        clone = Directory.CreateTempSubdirectory("btrfsbackup-fresh-clone-").FullName;
        foreach (var file in new[] { "build.cake", "cake.config", "backup_config.toml", ".config/dotnet-tools.json", "recipes/btrfs-backup.cake" })
        {
            var copy = Path.Combine(clone, file);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(Path.Combine(CakeCli.RepositoryRoot, file), copy);
        }
    }

    [TearDown]
    public void RemoveTheClone() => Directory.Delete(clone, recursive: true);

    [Test]
    public void Dotnet_cake_before_the_build_says_to_run_build_sh_first()
    {
        var result = CakeCli.RunIn(clone, "build.cake", new Dictionary<string, string?>(), "--target=list");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.All, Does.Contain("The BtrfsBackup library is not built: run ./build.sh first (or dotnet build -c Release), then this command again."), result.ToString());
        Assert.That(result.All, Does.Not.Contain("Value cannot be null"), result.ToString());
    }
}
