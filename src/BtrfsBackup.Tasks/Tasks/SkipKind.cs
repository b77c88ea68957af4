namespace BtrfsBackup.Tasks;

/// <summary>Why a step does not run. Each has a fixed wording, which Cake's summary shows as the skip reason.</summary>
internal enum SkipKind
{
    PairFailed,
    Interrupted,
    NoTarget,
    TargetUnreachable,
    NothingToSend,
    NothingToPurge,
    NothingToVerify,
    SourceUnchanged,
}

internal static class SkipKinds
{
    public static string Describe(this SkipKind kind) => kind switch
    {
        SkipKind.PairFailed => "pair failed earlier",
        SkipKind.Interrupted => "run interrupted",
        SkipKind.NoTarget => "no target configured",
        SkipKind.TargetUnreachable => "target not mounted",
        SkipKind.NothingToSend => "nothing new to send",
        SkipKind.NothingToPurge => "nothing to purge",
        SkipKind.NothingToVerify => "no backup to verify",
        SkipKind.SourceUnchanged => "source unchanged since the newest snapshot",
        _ => kind.ToString(),
    };

    /// <summary>The reasons that can skip <paramref name="step"/>, in the order they are checked.</summary>
    public static IReadOnlyList<SkipKind> For(BackupStep step) => step switch
    {
        BackupStep.Send => [SkipKind.Interrupted, SkipKind.PairFailed, SkipKind.NoTarget, SkipKind.TargetUnreachable, SkipKind.NothingToSend],
        BackupStep.Purge => [SkipKind.Interrupted, SkipKind.PairFailed, SkipKind.NothingToPurge],
        BackupStep.Snapshot => [SkipKind.Interrupted, SkipKind.PairFailed, SkipKind.SourceUnchanged],
        BackupStep.Verify => [SkipKind.Interrupted, SkipKind.PairFailed, SkipKind.NoTarget, SkipKind.TargetUnreachable, SkipKind.NothingToVerify],
        _ => [SkipKind.Interrupted, SkipKind.PairFailed],
    };
}
