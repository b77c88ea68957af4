namespace BtrfsBackup.Configuration;

/// <summary>When a pair's snapshot step takes a snapshot (<c>snapshot_when</c>).</summary>
public enum SnapshotWhen
{
    /// <summary>Every time the step runs (<c>"always"</c>, the default).</summary>
    Always,

    /// <summary>
    /// Only when the source's generation moved past the newest snapshot's creation generation
    /// (<c>"changed"</c>); a snapshot with a suffix is always taken.
    /// </summary>
    Changed,
}
