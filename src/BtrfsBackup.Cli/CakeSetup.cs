using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using Spectre.Console;

namespace BtrfsBackup.Cli;

/// <summary>
/// Cake's engine, context and script host for one invocation, made from the pinned Cake.Tool's own
/// assemblies the way Cake.Frosting makes them: the host that runs the tasks (or dry-runs them, or
/// shows their tree or descriptions) is Cake.Cli's, so the tasks behave exactly as under <c>dotnet cake</c>.
/// </summary>
internal sealed class CakeSetup
{
    private CakeSetup(ICakeContext context, ScriptHost host, ICakeLog log, BannerOnFirstLine banners)
    {
        Banners = banners;
        Context = context;
        Host = host;
        Log = log;
    }

    public ICakeContext Context { get; }

    public ScriptHost Host { get; }

    public ICakeLog Log { get; }

    /// <summary>Task banners, printed once a task logs something (at normal verbosity and below).</summary>
    public BannerOnFirstLine Banners { get; }

    public static CakeSetup For(Invocation invocation, IConsole console, IAnsiConsole ansiConsole)
    {
        var banners = new BannerOnFirstLine(new CakeSpectreReportPrinter(ansiConsole), new CakeBuildLog(console, invocation.Verbosity));
        var log = banners.Log;
        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(environment, new ToolRepository(environment), new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var data = new CakeDataService();
        var context = new CakeContext(
            fileSystem,
            environment,
            globber,
            log,
            new CakeArguments(invocation.Arguments),
            new ProcessRunner(fileSystem, environment, log, tools, configuration),
            new WindowsRegistry(),
            tools,
            data,
            configuration,
            new ToolInstaller(environment, tools, configuration, log, []),
            new NoServices());
        var engine = new CakeEngine(data, log);
        ScriptHost host = invocation.Tree ? new TreeScriptHost(engine, context, console)
            : invocation.Description ? new DescriptionScriptHost(engine, context, ansiConsole)
            : invocation.DryRun ? new DryRunScriptHost(engine, context, log)
            : new BuildScriptHost(engine, new DefaultExecutionStrategy(log, banners), context, ReportPrinter(invocation, ansiConsole), configuration, log);
        return new CakeSetup(context, host, log, banners);
    }

    private static ICakeReportPrinter ReportPrinter(Invocation invocation, IAnsiConsole ansiConsole)
    {
        var printer = new CakeSpectreReportPrinter(ansiConsole);
        return invocation.NoReport ? new ReportWithoutSummary(printer) : printer;
    }

    // The tasks ask Cake for no services.
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
