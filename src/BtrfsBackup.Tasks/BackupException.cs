namespace BtrfsBackup;

/// <summary>A failure the user can act on: its message says what went wrong and where.</summary>
public class BackupException : Exception
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    /// <param name="message">What went wrong and where, for the user to read.</param>
    public BackupException(string message)
        : base(message)
    {
    }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What went wrong and where, for the user to read.</param>
    /// <param name="innerException">The error behind it.</param>
    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
