using BtrfsBackup.Configuration;
using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.IO;

namespace BtrfsBackup.Aliases;

/// <summary>Reads <c>backup_config.toml</c>.</summary>
[CakeAliasCategory("Btrfs")]
[CakeNamespaceImport("BtrfsBackup.Configuration")]
public static class BtrfsConfigurationAliases
{
    /// <summary>
    /// Loads and validates the backup configuration. A relative path is taken from Cake's working
    /// directory; without one, <c>backup_config.toml</c> there.
    /// </summary>
    /// <example><code>var config = BtrfsLoadConfig(Argument("config", "backup_config.toml"));</code></example>
    [CakeMethodAlias]
    public static BackupConfiguration BtrfsLoadConfig(this ICakeContext context, FilePath? path = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = (path ?? BackupConfiguration.DefaultFileName).MakeAbsolute(context.Environment);
        try
        {
            return ConfigurationLoader.Load(file.FullPath);
        }
        catch (BackupException e)
        {
            // An invalid file, or (as root) one another user could change.
            throw new CakeException(e.Message, e);
        }
    }
}
