using BtrfsBackup.Verification;

namespace BtrfsBackup.Aliases;

/// <summary>Settings for <c>BtrfsVerify</c>.</summary>
public sealed class BtrfsVerifySettings : BtrfsSettings
{
    /// <summary><see cref="VerifyMode.Metadata"/> (read-only, Received UUID) or <see cref="VerifyMode.Content"/> (also every file; the default).</summary>
    public VerifyMode Mode { get; set; } = VerifyMode.Content;

    /// <summary>Every backup on the target, not only the newest.</summary>
    public bool AllBackups { get; set; }

    /// <summary>Fail (exit code 4) when a backup differs; true by default. False returns the result for the script to judge.</summary>
    public bool FailOnDifferences { get; set; } = true;
}
