using BtrfsBackup.Configuration;
using Cake.Core;

namespace BtrfsBackup.Cli;

/// <summary>
/// Where the configuration is: <c>--config</c>, else <c>$BTRFSBACKUP_CONFIG</c>, else
/// <c>/etc/btrfsbackup/backup_config.toml</c>; run from a checkout (the program inside the
/// repository's build output), the checkout's own <c>backup_config.toml</c>.
/// </summary>
internal static class ConfigLocation
{
    public const string EnvironmentVariable = "BTRFSBACKUP_CONFIG";
    public const string SystemPath = "/etc/btrfsbackup/" + BackupConfiguration.DefaultFileName;

    /// <summary>Null when <c>--config</c> is given: the run reads it from the command line, checked like every argument.</summary>
    public static string? Find(ICakeContext context)
    {
        if (context.Arguments.HasArgument("config"))
        {
            return null;
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        return Checkout() is { } checkout ? Path.Combine(checkout, BackupConfiguration.DefaultFileName) : SystemPath;
    }

    /// <summary>The repository the program was built in, when it runs from there.</summary>
    public static string? Checkout()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BtrfsBackup.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
