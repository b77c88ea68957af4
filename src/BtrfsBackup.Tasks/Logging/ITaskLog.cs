namespace BtrfsBackup.Logging;

/// <summary>Where tasks report what they do; hosts (Cake, tests, MSBuild) supply their own.</summary>
internal interface ITaskLog
{
    void Information(string message);

    void Warning(string message);

    void Error(string message);

    /// <summary>Detail for <c>--verbosity=verbose</c>: commands run, counts, timings.</summary>
    void Verbose(string message);
}
