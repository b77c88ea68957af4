using BtrfsBackup.Configuration;
using BtrfsBackup.Restore;
using BtrfsBackup.Tasks;
using Cake.Core;
using Cake.Core.Annotations;

namespace BtrfsBackup.Aliases;

/// <summary>Restores a snapshot or backup of a pair as a new writable subvolume.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Aliases")]
public static class BtrfsRestoreAliases
{
    /// <summary>
    /// Restores <see cref="BtrfsRestoreSettings.Snapshot"/> (a name, or <c>latest</c>) of the pair as a
    /// new writable subvolume at <see cref="BtrfsRestoreSettings.To"/>, which must not exist: a snapshot
    /// where the copy already is on that filesystem, else a receive beside it and a snapshot of that.
    /// Needs no scan of the source. Returns what was restored.
    /// </summary>
    /// <example><code>BtrfsRestore(pair, new BtrfsRestoreSettings { Snapshot = "latest", To = "/srv/restore/home" });</code></example>
    [CakeMethodAlias]
    public static RestorePlan BtrfsRestore(this ICakeContext context, BackupPair pair, BtrfsRestoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.To is null)
        {
            throw new CakeException($"{pair?.Name}: BtrfsRestore needs To, the path of the new subvolume");
        }

        var task = new RestoreTask
        {
            Pair = pair!,
            Request = new RestoreRequest(settings.Snapshot, settings.To, settings.From, settings.KeepReceived),
        };
        return BtrfsTaskRunner.Run(context, pair!, task, settings.DryRun, settings.Environment).Plan!;
    }
}

/// <summary>Settings for <see cref="BtrfsRestoreAliases.BtrfsRestore"/>.</summary>
public sealed class BtrfsRestoreSettings : BtrfsSettings
{
    /// <summary>The snapshot's name as <c>list</c> shows it (compared as an instant), or <c>latest</c> (the default).</summary>
    public string Snapshot { get; set; } = RestoreRequest.Latest;

    /// <summary>The absolute path of the new subvolume; it must not exist, and its folder must.</summary>
    public string? To { get; set; }

    /// <summary>Where to take it from; by default the snapshot_dir when it has it, else the target.</summary>
    public RestoreSide From { get; set; } = RestoreSide.Any;

    /// <summary>Keep the read-only copy received on the way (when the copy had to be sent to the destination's filesystem).</summary>
    public bool KeepReceived { get; set; }
}
