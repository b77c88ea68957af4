using System.Globalization;
using System.Text.RegularExpressions;

namespace BtrfsBackup.Configuration;

/// <summary>A machine reached over SSH: <c>ssh://[user@]host[:port]</c>, as written before a location's path.</summary>
internal sealed partial record SshEndpoint(string? User, string Host, int? Port)
{
    public const string Scheme = "ssh://";

    public override string ToString() =>
        Scheme + (User is null ? string.Empty : User + "@") + Host + (Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>
    /// Splits <c>ssh://[user@]host[:port]/path</c> into its endpoint and absolute path; null endpoint for a plain path.
    /// </summary>
    /// <returns>Why the location is not a valid ssh location, or null.</returns>
    public static string? TrySplit(string location, out SshEndpoint? endpoint, out string path)
    {
        endpoint = null;
        path = location;
        if (!location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = location[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        path = slash < 0 ? string.Empty : rest[slash..];
        var match = Authority().Match(authority);
        if (!match.Success)
        {
            return $"'{location}' is not a valid ssh location: write ssh://[user@]host[:port]/absolute/path";
        }

        int? port = null;
        if (match.Groups["port"].Success)
        {
            if (!int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return $"'{location}' has port {match.Groups["port"].Value}; a port is 1-65535";
            }

            port = number;
        }

        if (path.Length == 0)
        {
            return $"'{location}' names no path: write ssh://[user@]host[:port]/absolute/path";
        }

        endpoint = new SshEndpoint(match.Groups["user"].Success ? match.Groups["user"].Value : null, match.Groups["host"].Value, port);
        return null;
    }

    // A host name or IPv4 address, or an IPv6 address in brackets; users as ssh accepts them without quoting.
    [GeneratedRegex(@"^(?:(?<user>[A-Za-z0-9_][A-Za-z0-9._-]*)@)?(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::(?<port>[0-9]+))?\z")]
    private static partial Regex Authority();
}
