namespace BtrfsBackup.Verification;

/// <summary>How far <c>verify</c> goes: <c>--verify=metadata</c> (read-only flag, Received UUID) or <c>--verify=content</c> (also every file, the default).</summary>
public enum VerifyMode
{
    /// <summary>Metadata, and every path, mode, owner, size, time, link, xattr and file checksum (the default).</summary>
    Content,

    /// <summary>The read-only flag and the Received UUID only.</summary>
    Metadata,
}

internal static class VerifyModes
{
    /// <summary>The mode a <c>--verify=VALUE</c> names; null or empty is the default, content.</summary>
    /// <exception cref="BackupException">Any other value.</exception>
    public static VerifyMode Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "content" => VerifyMode.Content,
        "metadata" => VerifyMode.Metadata,
        _ => throw new BackupException($"--verify must be metadata or content, not '{value}'."),
    };
}
