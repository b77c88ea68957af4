namespace BtrfsBackup.Watching;

/// <summary>How <c>status</c> and <c>list</c> print: readable text (the default), or JSON for monitoring (<c>--format=json</c>).</summary>
public enum OutputFormat
{
    Text,
    Json,
}
