using Cake.Core;
using Cake.Core.Diagnostics;

namespace BtrfsBackup.Cli;

/// <summary>
/// A task's banner printed only once the task has something to say: at normal verbosity and below,
/// Cake's banner for a task that logs nothing (a scan, the target itself) would stand empty in the
/// journal. At verbose and diagnostic every banner is printed as Cake prints it. The log side
/// (<see cref="Log"/>) prints the pending banner before the first line that will be shown.
/// </summary>
internal sealed class BannerOnFirstLine : ICakeReportPrinter
{
    private readonly ICakeReportPrinter inner;
    private Action? pending;

    public BannerOnFirstLine(ICakeReportPrinter inner, ICakeLog log)
    {
        this.inner = inner;
        Log = new BannerLog(log, this);
    }

    /// <summary>The log every task writes to: prints the pending banner before its first shown line.</summary>
    public ICakeLog Log { get; }

    public void Write(CakeReport report) => inner.Write(report);

    public void WriteStep(string name, Verbosity verbosity) => Defer(() => inner.WriteStep(name, verbosity), verbosity);

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => Defer(() => inner.WriteLifeCycleStep(name, verbosity), verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity)
    {
        pending = null;
        inner.WriteSkippedStep(name, verbosity);
    }

    /// <summary>The tasks are over: what is logged after them (the run summary) belongs to no task.</summary>
    public void EndOfTasks() => pending = null;

    private void Defer(Action banner, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Verbose)
        {
            pending = null;
            banner();
        }
        else
        {
            pending = banner;
        }
    }

    private void Flush()
    {
        // Tasks may log from several threads (verify reads both sides at once): one of them prints the banner.
        Interlocked.Exchange(ref pending, null)?.Invoke();
    }

    private sealed class BannerLog(ICakeLog inner, BannerOnFirstLine printer) : ICakeLog
    {
        public Verbosity Verbosity { get => inner.Verbosity; set => inner.Verbosity = value; }

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            if (verbosity <= inner.Verbosity)
            {
                printer.Flush();
            }

            inner.Write(verbosity, level, format, args);
        }
    }
}
