namespace BtrfsBackup;

/// <summary>A failure the user can act on: its message says what went wrong and where.</summary>
public class BackupException : Exception
{
    public BackupException(string message)
        : base(message)
    {
    }

    public BackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
