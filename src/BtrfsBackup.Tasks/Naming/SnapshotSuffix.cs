using System.Text.RegularExpressions;

namespace BtrfsBackup.Naming;

/// <summary>The optional comment at the end of a snapshot name, such as <c>pre-upgrade</c>.</summary>
internal static partial class SnapshotSuffix
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="suffix"/> is allowed, otherwise why it is not.</summary>
    public static string? Validate(string suffix)
    {
        if (suffix.Length == 0)
        {
            return "the suffix is empty";
        }

        if (suffix.Length > MaxLength)
        {
            return $"the suffix is {suffix.Length} characters long, at most {MaxLength} are allowed";
        }

        if (!AllowedSuffix().IsMatch(suffix))
        {
            return "a suffix may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit";
        }

        return null;
    }

    /// <exception cref="BackupException">The suffix breaks the naming rules.</exception>
    public static void ThrowIfInvalid(string suffix)
    {
        var problem = Validate(suffix);
        if (problem is not null)
        {
            throw new BackupException($"Invalid snapshot suffix '{suffix}': {problem}.");
        }
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex AllowedSuffix();
}
