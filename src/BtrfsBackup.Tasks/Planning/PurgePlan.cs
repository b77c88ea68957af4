using System.Text;

namespace BtrfsBackup.Planning;

/// <summary>What a pair's purge deletes on each side, with a reason for every snapshot kept or deleted.</summary>
internal sealed record PurgePlan(LocationPurgePlan Source, LocationPurgePlan Target, IReadOnlyList<string> Warnings)
{
    public bool HasWork => Source.Deletions.Any() || Target.Deletions.Any();

    public IEnumerable<PlannedStep> Steps => Source.Steps.Concat(Target.Steps);

    /// <summary>The plan as text, as a dry run shows it and the reference files hold it.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach (var warning in Warnings)
        {
            text.AppendLine($"warning: {warning}");
        }

        foreach (var location in new[] { Source, Target })
        {
            text.AppendLine($"{location.Side} {location.Path}:{(location.SkipReason is null ? string.Empty : $" not purged: {location.SkipReason}")}");
            foreach (var decision in location.Decisions)
            {
                text.AppendLine($"  {decision}");
            }
        }

        return text.ToString();
    }
}
