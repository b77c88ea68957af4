using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Tasks;
using BtrfsBackup.Verification;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Compares backups with the snapshots they were received from; changes nothing.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Verification")]
public static class BtrfsVerifyAliases
{
    /// <summary>
    /// Scans the pair and compares its newest backup (or every one) with its source snapshot: metadata
    /// (read-only, Received UUID) and, in content mode, the whole tree and every file's checksum. Each
    /// backup's verdict is logged. Fails with exit code 4 when one differs (unless
    /// <see cref="BtrfsVerifySettings.FailOnDifferences"/> is false), and as other aliases do when the
    /// scan or the reading fails.
    /// </summary>
    /// <returns>What was found per backup; no backups when the target holds none or cannot be read.</returns>
    /// <example><code>BtrfsVerify(config.GetPair("home"), new BtrfsVerifySettings { Mode = VerifyMode.Metadata });</code></example>
    [CakeMethodAlias]
    public static PairVerification BtrfsVerify(this ICakeContext context, BackupPair pair, BtrfsVerifySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pair);
        settings ??= new BtrfsVerifySettings();
        var scan = BtrfsTaskRunner.Run(context, pair, new ScanTask { Pair = pair }, dryRun: false, settings.Environment);
        var inventory = scan.Inventory!;
        if (!inventory.IsTargetReachable)
        {
            context.Log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Warning, "{0}", $"verify {pair.Name}: nothing verified: {inventory.TargetStatusReason}.");
            return new PairVerification(pair.Name, settings.Mode, []);
        }

        var task = new VerifyTask { Inventory = inventory, Mode = settings.Mode, AllBackups = settings.AllBackups };
        var result = BtrfsTaskRunner.Run(context, pair, task, settings.DryRun, settings.Environment).Result
            ?? new PairVerification(pair.Name, settings.Mode, []);
        return settings.FailOnDifferences && result.Differs
            ? throw new CakeException(ExitCodes.VerifyFoundDifferences, $"verify {pair.Name}: a backup differs from its source snapshot (see above).")
            : result;
    }
}
