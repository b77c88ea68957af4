namespace BtrfsBackup.Watching;

/// <summary>How <c>status</c> and <c>list</c> print: readable text (the default), or JSON for monitoring (<c>--format=json</c>).</summary>
public enum OutputFormat
{
    /// <summary>Text for people (the default).</summary>
    Text,

    /// <summary>One JSON document (schema in docs/contract.md).</summary>
    Json,
}
