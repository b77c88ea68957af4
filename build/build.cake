// The project's own pipeline, run by ./build.sh: format check, build (warnings are errors), tests.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var root = MakeAbsolute(Directory(".."));
var solution = root.CombineWithFilePath("BtrfsBackup.sln");
var testResults = root.Combine("artifacts/test-results");

Task("Restore")
    .Description("Restores NuGet packages for the solution.")
    .Does(() => DotNetRestore(solution.FullPath));

// Whitespace here; code style and analyzers are checked by the build itself (EnforceCodeStyleInBuild,
// warnings as errors), so the full `dotnet format --verify-no-changes` finds nothing more, at four times the cost.
Task("Format")
    .Description("Fails when `dotnet format whitespace` would change any file.")
    .IsDependentOn("Restore")
    .Does(() => DotNetFormatWhitespace(solution.FullPath, new DotNetFormatSettings { VerifyNoChanges = true, NoRestore = true }));

Task("Build")
    .Description("Builds the solution with warnings as errors.")
    .IsDependentOn("Format")
    .Does(() => DotNetBuild(solution.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
        MSBuildSettings = new DotNetMSBuildSettings().TreatAllWarningsAs(MSBuildTreatAllWarningsAs.Error),
    }))
    // build.cake's cached compilation refers to the library just rebuilt; the cache key does not notice.
    .Does(() => CleanDirectory(root.Combine("tools/cache")));

Task("Test")
    .Description("Runs every test, real btrfs included (they need root), and writes the pass/fail counts.")
    .IsDependentOn("Build")
    .Does(() =>
    {
        CleanDirectory(testResults);
        try
        {
            DotNetTest(solution.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                ResultsDirectory = testResults,
                Loggers = { "trx", "console;verbosity=normal" },
            });
        }
        finally
        {
            var counters = GetFiles(testResults.FullPath + "/**/*.trx")
                .Select(file => XDocument.Load(file.FullPath).Descendants().First(element => element.Name.LocalName == "Counters"))
                .ToList();
            int Sum(string name) => counters.Sum(element => int.Parse(element.Attribute(name)?.Value ?? "0"));
            var skipped = Sum("notExecuted");
            var summary = $"{Sum("passed")} passed, {Sum("failed") + Sum("error") + Sum("timeout") + Sum("aborted")} failed" + (skipped > 0 ? $", {skipped} skipped" : "");
            System.IO.File.WriteAllText(testResults.CombineWithFilePath("summary.txt").FullPath, summary + "\n");
            Information(summary);
        }
    });

// The program as a system command, from this checkout: contrib/install.sh compiles it to native code (Native AOT) and installs
// it under /usr/local with its man page, the example configuration and the systemd units; DESTDIR=/some/root
// installs below that folder. Neither runs the tests first: install.sh builds what it installs.
Task("Install")
    .Description("Installs btrfsbackup as a system command (contrib/install.sh, as root; DESTDIR honoured).")
    .Does(() => RunContrib("install.sh"));

Task("Uninstall")
    .Description("Removes what Install installed, never the configuration nor the history (contrib/uninstall.sh).")
    .Does(() => RunContrib("uninstall.sh"));

void RunContrib(string script)
{
    var exitCode = StartProcess(root.CombineWithFilePath($"contrib/{script}"), new ProcessSettings { WorkingDirectory = root });
    if (exitCode != 0)
    {
        throw new CakeException(exitCode, $"contrib/{script} failed (exit code {exitCode}).");
    }
}

RunTarget(target);
