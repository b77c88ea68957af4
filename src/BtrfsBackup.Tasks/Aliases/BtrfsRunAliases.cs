using BtrfsBackup.Configuration;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Sets up a run over the selected pairs, for recipes that register per-pair tasks.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Tasks")]
public static class BtrfsRunAliases
{
    /// <summary>
    /// Loads the configuration and selects the pairs named by <c>--pair</c> (or all), with the
    /// options of the command line. Fails, before anything is touched, on a bad config, an unknown
    /// pair, a missing selection where one is required, or an invalid suffix.
    /// </summary>
    /// <example><code>var run = BtrfsBackupRun(new BtrfsRunSettings { RequirePairSelection = true });</code></example>
    [CakeMethodAlias]
    public static BackupRun BtrfsBackupRun(this ICakeContext context, BtrfsRunSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        settings ??= new BtrfsRunSettings();
        var configuration = context.BtrfsLoadConfig(settings.ConfigPath ?? Argument(context, "config") ?? BackupConfiguration.DefaultFileName);
        var names = settings.Pairs?.ToList() ?? [.. CakeCommandLine.Values(context, "pair")];
        var all = settings.All ?? context.Arguments.HasArgument("all");
        // --tree and --description only show the graph: show it for every pair rather than refuse.
        if (settings.RequirePairSelection && names.Count == 0 && !all && !CakeCommandLine.ShowsOnly())
        {
            throw new CakeException(
                $"Name the pairs to work on with --pair=NAME (repeatable or comma-separated) or --all. Configured pairs: {string.Join(", ", configuration.Pairs.Select(pair => pair.Name))}.");
        }

        try
        {
            var options = new BackupRunOptions
            {
                DryRun = settings.DryRun ?? CakeCommandLine.IsDryRun(context),
                Suffix = settings.Suffix ?? Argument(context, "suffix"),
            };
            var run = new BackupRun(configuration.Select(all ? [] : names), options, new CakeTaskLog(context.Log));
            run.InterruptOnSignals();
            return run;
        }
        catch (BackupException e)
        {
            throw new CakeException(e.Message, e);
        }
    }

    private static string? Argument(ICakeContext context, string name) =>
        context.Arguments.HasArgument(name) ? context.Arguments.GetArgument(name) : null;
}
