namespace BtrfsBackup.Tests.Model;

/// <summary>The error texts of the kernel (strerror) that the model's operations fail with, spelled as the C library spells them.</summary>
internal static class Errno
{
    public const string NoEntry = "No such file or directory";
    public const string NotDirectory = "Not a directory";
    public const string Exists = "File exists";
    public const string ReadOnly = "Read-only file system";
    public const string NoSpace = "No space left on device";
    public const string CrossDevice = "Invalid cross-device link";
    public const string NotEmpty = "Directory not empty";
    public const string Invalid = "Invalid argument";
    public const string Loop = "Too many levels of symbolic links";
    public const string Busy = "Device or resource busy";
}

/// <summary>
/// A btrfs (or findmnt) command of the model failed: what the real one would print on stderr, and its
/// exit code. <see cref="ModelHost"/> turns it into the <see cref="BtrfsBackup.Btrfs.ExternalCommandException"/>
/// the real host throws, with the command line the tool would have run.
/// </summary>
internal sealed class ModelCommandException(string standardError, int exitCode = 1) : Exception(standardError)
{
    public string StandardError { get; } = standardError;

    public int ExitCode { get; } = exitCode;
}

/// <summary>A file operation of the model failed (mkdir, write): the message .NET's own I/O would give, errno text first.</summary>
internal sealed class ModelIOException(string errno, string path) : IOException($"{errno} : '{path}'")
{
    public string Errno { get; } = errno;
}
