namespace BtrfsBackup.Hosting;

/// <summary>
/// The exit codes of a run, the same under <c>dotnet cake</c> and the <c>btrfsbackup</c> program
/// (a <see cref="Cake.Core.CakeException"/> carries its code to either host). Documented in
/// docs/contract.md and the README; monitoring reads them, so they never change meaning.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every selected pair succeeded (skips included) and none is stale.</summary>
    public const int Success = 0;

    /// <summary>A pair failed, the run was interrupted, or the configuration or arguments are invalid.</summary>
    public const int Failure = 1;

    /// <summary>No pair failed, but at least one pair's newest backup is older than its <c>alert_after_days</c>.</summary>
    public const int Stale = 3;

    /// <summary><c>verify</c> found a backup that differs from its source snapshot (and nothing failed).</summary>
    public const int VerifyFoundDifferences = 4;
}
