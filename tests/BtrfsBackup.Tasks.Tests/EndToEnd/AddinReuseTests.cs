using BtrfsBackup.Scanning;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.EndToEnd;

/// <summary>
/// The library as a Cake addin inside somebody else's pipeline: packed with `dotnet pack`, loaded
/// from a local folder feed with #addin, its aliases called from a build.cake of their own.
/// </summary>
[TestFixture]
[Category("RealBtrfs")]
[Category("EndToEnd")]
public sealed class AddinReuseTests : RealBtrfsFixture
{

    [Test]
    public async Task A_deploy_pipeline_loads_the_packed_addin_and_snapshots_before_deploying()
    {
        var home = PairLayout.Create(Sandbox, "app");
        var project = Directory.CreateDirectory(Path.Combine(Sandbox.Root, "my-project")).FullName;
        var config = ConfigFile.Write(project, home);
        var feed = Path.Combine(Sandbox.Root, "feed");
        // A version of its own, so that no package cached by an earlier run stands in for this build.
        var version = $"0.1.0-test{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
        // Built into the sandbox, not the repository's bin/ and obj/: other tests' runs load the library
        // from bin/Release, and a build of another version there would break them mid-run.
        Shell.Run(
            "dotnet", "pack", Path.Combine(CakeCli.RepositoryRoot, "src", "BtrfsBackup.Tasks"), "-c", "Release", "-o", feed, $"-p:Version={version}",
            $"-p:OutputPath={Path.Combine(Sandbox.Root, "pack", "bin")}/", $"-p:IntermediateOutputPath={Path.Combine(Sandbox.Root, "pack", "obj")}/", "--nologo", "-v", "q");
        File.WriteAllText(Path.Combine(project, "build.cake"), $$"""
            #addin nuget:file://{{feed}}?package=Cake.BtrfsBackup&version={{version}}&loaddependencies=true

            Task("Snapshot-Before-Deploy")
                .Does(() =>
                {
                    var config = BtrfsLoadConfig("backup_config.toml");
                    var inventory = BtrfsSnapshot(config.GetPair("app"), new BtrfsSnapshotSettings { Suffix = "pre-deploy" });
                    Information("Snapshots of app: {0}", inventory.SnapshotDir.Snapshots.Count);
                });

            Task("Deploy")
                .IsDependentOn("Snapshot-Before-Deploy")
                .Does(() => Information("Deploying the application..."));

            RunTarget("Deploy");
            """);

        var result = CakeCli.RunIn(CakeCli.RepositoryRoot, Path.Combine(project, "build.cake"), Sandbox.ChildEnvironment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Snapshots of app: 1").And.Contain("Deploying the application..."));
        var snapshot = (await Scans.OfAsync(home)).SnapshotDir.Snapshots.Single();
        Assert.That(snapshot.Name.Suffix, Is.EqualTo("pre-deploy"));
        Assert.That(config, Does.StartWith(project));
    }
}
