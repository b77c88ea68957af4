using Cake.Core;
using Cake.Core.Diagnostics;

namespace BtrfsBackup.Cli;

/// <summary>
/// Cake's report printer without the task summary table at the end (<c>--no-report</c>, and
/// <c>--format=json</c>, whose standard output must be the JSON alone); task headers are as before.
/// </summary>
internal sealed class ReportWithoutSummary(ICakeReportPrinter inner) : ICakeReportPrinter
{
    public void Write(CakeReport report)
    {
    }

    public void WriteStep(string name, Verbosity verbosity) => inner.WriteStep(name, verbosity);

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => inner.WriteLifeCycleStep(name, verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity) => inner.WriteSkippedStep(name, verbosity);
}
