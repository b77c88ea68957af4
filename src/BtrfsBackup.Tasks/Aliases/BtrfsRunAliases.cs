using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Tasks;
using BtrfsBackup.Watching;
using BtrfsBackup.Verification;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Sets up a run over the selected pairs, for recipes that register per-pair tasks.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Tasks")]
[CakeNamespaceImport("BtrfsBackup.Verification")]
public static class BtrfsRunAliases
{
    // --snapshot and --to (with --from and --keep-received) make a restore request; either alone is an error for restore to report.
    private static RestoreRequest? RestoreArguments(ICakeContext context)
    {
        var snapshot = CakeCommandLine.Value(context, "snapshot");
        var to = CakeCommandLine.Value(context, "to");
        if (snapshot is null || to is null)
        {
            return null;
        }

        var from = CakeCommandLine.Value(context, "from") switch
        {
            null or "" => RestoreSide.Any,
            "snapshot_dir" => RestoreSide.SnapshotDir,
            "target" => RestoreSide.Target,
            var other => throw new BackupException($"--from={other} is not a side to restore from: use --from=snapshot_dir or --from=target"),
        };
        return new RestoreRequest(snapshot, to, from, context.Arguments.HasArgument("keep-received"));
    }

    /// <summary>
    /// Loads the configuration and selects the pairs named by <c>--pair</c> (or all), with the
    /// options of the command line. Fails, before anything is touched, on an unknown argument, a bad
    /// config, an unknown pair, a missing selection where one is required, or an invalid suffix; and,
    /// running as root, on a configuration, script, library or script cache that a user other than
    /// root owns or may write (<see cref="RunInputs"/>).
    /// </summary>
    /// <example><code>var run = BtrfsBackupRun(new BtrfsRunSettings { RequirePairSelection = true });</code></example>
    [CakeMethodAlias]
    public static BackupRun BtrfsBackupRun(this ICakeContext context, BtrfsRunSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        settings ??= new BtrfsRunSettings();
        try
        {
            // As root, before anything else: code or settings another user could change must not run as root.
            RunInputs.EnsureTrusted();
            ArgumentCheck.EnsureKnown(context.Arguments.GetArguments().Keys, settings.AdditionalArguments);
            var configPath = settings.ConfigPath ?? CakeCommandLine.Value(context, "config") ?? BackupConfiguration.DefaultFileName;
            if (configPath.Length == 0)
            {
                throw new BackupException("--config needs a value, as in --config=PATH.");
            }

            var configuration = context.BtrfsLoadConfig(configPath);
            var names = settings.Pairs?.ToList() ?? [.. CakeCommandLine.Values(context, "pair")];
            var all = settings.All ?? context.Arguments.HasArgument("all");
            var apt = settings.Apt ?? context.Arguments.HasArgument("apt");
            if (apt && (all || names.Count > 0))
            {
                throw new BackupException("--apt selects the pairs with snapshot_on_apt = true by itself: give it without --pair or --all. Nothing was touched.");
            }

            // --tree and --description only show the graph: show it for every pair rather than refuse.
            if (settings.RequirePairSelection && names.Count == 0 && !all && !apt && !CakeCommandLine.ShowsOnly())
            {
                throw new BackupException(
                    $"Name the pairs to work on with --pair=NAME (repeatable or comma-separated) or --all. Configured pairs: {string.Join(", ", configuration.Pairs.Select(pair => pair.Name))}.");
            }

            // Every name is checked, also next to --all: a typo must not pass unnoticed.
            var selected = configuration.Select(names);
            var options = new BackupRunOptions
            {
                DryRun = settings.DryRun ?? CakeCommandLine.IsDryRun(context),
                Suffix = settings.Suffix ?? CakeCommandLine.Value(context, "suffix"),
                Restore = settings.Restore ?? RestoreArguments(context),
                RunSettings = configuration.Run,
                Format = settings.Format ?? FormatOf(CakeCommandLine.Value(context, "format")),
                Verify = settings.Verify ?? VerifyModes.Parse(CakeCommandLine.Value(context, "verify")),
                AllBackups = settings.AllBackups ?? context.Arguments.HasArgument("all-backups"),
                Why = settings.Why ?? context.Arguments.HasArgument("why"),
                LockTimeout = settings.LockTimeout ?? LockTimeoutOf(CakeCommandLine.Value(context, "lock-timeout")),
            };
            var log = new CakeTaskLog(context.Log);
            if (apt)
            {
                selected = configuration.Pairs.Where(pair => pair.SnapshotOnApt).ToList();
                log.Information(selected.Count == 0
                    ? $"--apt: no pair in {configuration.FilePath} has snapshot_on_apt = true; nothing to do."
                    : $"--apt: the pairs with snapshot_on_apt = true: {string.Join(", ", selected.Select(pair => pair.Name))}.");
            }

            var run = new BackupRun(all ? configuration.Pairs : selected, options, log, settings.Environment, configuration.Pairs);
            if (!CakeCommandLine.ShowsOnly())
            {
                run.ConnectAhead();
            }

            return run;
        }
        catch (BackupException e)
        {
            throw new CakeException(e.Message, e);
        }
    }

    private static TimeSpan LockTimeoutOf(string? value) =>
        value is null ? Locking.LockWait.DefaultTimeout
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds <= 86400 ? TimeSpan.FromSeconds(seconds)
        : throw new BackupException($"--lock-timeout must be a whole number of seconds from 0 (fail at once) to 86400, got '{value}'. Nothing was touched.");

    private static OutputFormat FormatOf(string? value) => value?.ToLowerInvariant() switch
    {
        null or "text" => OutputFormat.Text,
        "json" => OutputFormat.Json,
        _ => throw new BackupException($"--format must be text or json, got '{value}'. Nothing was touched."),
    };

    /// <summary>
    /// For the life of the returned handle, Ctrl-C and SIGTERM stop the run cleanly (the transfer under
    /// way is stopped and its partial subvolume removed) instead of ending the process at once; a second
    /// signal seconds later does end it. Call it from the recipe's set-up, once per run.
    /// </summary>
    /// <example><code>using var signals = BtrfsStopOnSignals(run);</code></example>
    [CakeMethodAlias]
    public static IDisposable BtrfsStopOnSignals(this ICakeContext context, BackupRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new SignalStop(run.Interruption);
    }
}
