using BtrfsBackup.Logging;
using Cake.Core.Diagnostics;

namespace BtrfsBackup.Aliases;

/// <summary>Routes task output into Cake's log, so <c>--verbosity</c> governs it.</summary>
internal sealed class CakeTaskLog(ICakeLog log) : ITaskLog
{
    public void Information(string message) => log.Information("{0}", message);

    public void Warning(string message) => log.Warning("{0}", message);

    public void Error(string message) => log.Error("{0}", message);

    public void Verbose(string message) => log.Verbose("{0}", message);
}
