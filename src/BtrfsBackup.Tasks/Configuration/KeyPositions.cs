using Tomlyn.Syntax;

namespace BtrfsBackup.Configuration;

/// <summary>
/// Where each key of a TOML document stands (1-based line and column), found from Tomlyn's syntax
/// tree, so that every configuration error can point at the key it is about.
/// </summary>
internal sealed class KeyPositions
{
    private readonly List<(string KeyPath, SourceSpan KeySpan, SourceSpan? ValueSpan)> keys = [];

    public KeyPositions(DocumentSyntax document)
    {
        Walk(document.KeyValues, []);
        foreach (var table in document.Tables)
        {
            var path = KeyParts(table.Name!);
            // The whole table counts as its value, so a position in it that no key covers names the table.
            keys.Add((string.Join('.', path), table.Name!.Span, table.Span));
            Walk(table.Items, path);
        }
    }

    /// <summary>"line:column" of the key, or of the nearest enclosing table that is written out.</summary>
    public (int Line, int Column) Of(string keyPath)
    {
        for (var path = keyPath; path.Length > 0; path = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : string.Empty)
        {
            var found = keys.FindIndex(key => key.KeyPath == path);
            if (found >= 0)
            {
                var start = keys[found].KeySpan.Start;
                return (start.Line + 1, start.Column + 1);
            }
        }

        return (1, 1);
    }

    /// <summary>The key whose value covers the 1-based position, for errors Tomlyn reports by position only.</summary>
    public string? KeyAt(int line, int column)
    {
        // Inner keys of an inline table come after the table itself: the last match is the innermost.
        return keys.LastOrDefault(key => key.ValueSpan is { } span && Covers(span, line - 1, column - 1)).KeyPath;
    }

    private static bool Covers(SourceSpan span, int line, int column)
    {
        var afterStart = line > span.Start.Line || (line == span.Start.Line && column >= span.Start.Column);
        var beforeEnd = line < span.End.Line || (line == span.End.Line && column <= span.End.Column);
        return afterStart && beforeEnd;
    }

    private void Walk(IEnumerable<KeyValueSyntax> keyValues, List<string> prefix)
    {
        foreach (var keyValue in keyValues)
        {
            var path = prefix.Concat(KeyParts(keyValue.Key!)).ToList();
            keys.Add((string.Join('.', path), keyValue.Key!.Span, keyValue.Value!.Span));
            if (keyValue.Value is InlineTableSyntax inline)
            {
                Walk(inline.Items.Select(item => item.KeyValue!), path);
            }
        }
    }

    private static List<string> KeyParts(KeySyntax key)
    {
        var parts = new List<string> { KeyPart(key.Key!) };
        parts.AddRange(key.DotKeys.Select(dotted => KeyPart(dotted.Key!)));
        return parts;
    }

    private static string KeyPart(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => key.ToString()!,
    };
}
