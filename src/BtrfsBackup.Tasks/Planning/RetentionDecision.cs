using BtrfsBackup.Scanning;

namespace BtrfsBackup.Planning;

/// <summary>Whether one snapshot stays or goes, and why.</summary>
internal sealed record RetentionDecision(Snapshot Snapshot, bool Delete, string Reason)
{
    public override string ToString() => $"{(Delete ? "delete" : "keep  ")} {Snapshot.Name}  # {Reason}";
}
