using System.Globalization;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Remote;

/// <summary>Turns what ssh and the remote side print into a message that names the machine and what to do.</summary>
internal static class SshFailure
{
    /// <summary>ssh's own exit code for a failure of ssh itself (connection, authentication, host key), not of the remote command.</summary>
    public const int SshItself = 255;

    /// <summary>Whether ssh failed because the machine could not be reached (rather than refused us).</summary>
    public static bool IsUnreachable(int exitCode, string standardError) =>
        exitCode == SshItself && Unreachable(standardError) && !standardError.Contains("Permission denied", StringComparison.Ordinal);

    /// <summary>An actionable message for a failure, or null when the remote command's own message says it best.</summary>
    public static string? Explain(SshAccess access, int exitCode, string standardError)
    {
        var host = access.Endpoint;
        var port = host.Port ?? 22;
        var portOption = host.Port is { } given ? string.Create(CultureInfo.InvariantCulture, $"-p {given} ") : string.Empty;
        if (standardError.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
        {
            return $"the host key of {host} has CHANGED since it was recorded: the machine was reinstalled, or someone is in between. " +
                $"Check the new key's fingerprint with the machine's owner, then remove the old one (ssh-keygen -R {KnownHostsName(host.Host, port)}) and add the new";
        }

        if (standardError.Contains("Host key verification failed", StringComparison.Ordinal)
            || standardError.Contains("No ED25519 host key is known", StringComparison.Ordinal)
            || standardError.Contains("host key is not known", StringComparison.Ordinal))
        {
            return $"the host key of {host} is not known on this machine, and ssh checks it before sending anything. " +
                $"Check its fingerprint with the machine's owner, then add it: ssh-keyscan {portOption}{host.Host} >> /root/.ssh/known_hosts " +
                "(or name a known_hosts file with ssh_options = [\"UserKnownHostsFile=...\"])";
        }

        if (standardError.Contains("Permission denied", StringComparison.Ordinal) && exitCode == SshItself)
        {
            var key = access.Identity is { } identity ? $"the key {identity}" : "root's ssh keys";
            return $"{host} refused to log in with {key}: add its public key to {host.User ?? "root"}'s authorized_keys there, or set ssh_identity";
        }

        if (exitCode == SshItself && Unreachable(standardError))
        {
            return $"{host} cannot be reached: {LastLine(standardError)}. Is it running, on the network, and is sshd listening on port {port}?";
        }

        if (standardError.Contains("btrfsbackup-ssh-filter: refused", StringComparison.Ordinal))
        {
            return $"the ssh filter on {host} refused a command: {LastLine(standardError)}. Does the filter's list of allowed paths in authorized_keys include this pair's paths?";
        }

        if (standardError.Contains("sudo: a password is required", StringComparison.Ordinal) || standardError.Contains("sudo: a terminal is required", StringComparison.Ordinal))
        {
            return $"sudo on {host} asks for a password: give {host.User} a NOPASSWD rule for btrfs and the tool's other commands (see contrib/ssh/README.md)";
        }

        if (exitCode == 127 || standardError.Contains("command not found", StringComparison.Ordinal))
        {
            return $"a command the tool needs is missing on {host}: {LastLine(standardError)}. Install btrfs-progs (and zstd when stream_compress is set) there";
        }

        if (standardError.Contains("No space left on device", StringComparison.Ordinal))
        {
            return $"the disk on {host} is full: {LastLine(standardError)}. Free space there (or tighten target_retention) and run again";
        }

        if (exitCode == SshItself && standardError.Trim().Length == 0)
        {
            // What ssh reports, silently, when the remote command was killed or the connection dropped.
            return $"the command on {host} was killed, or the connection to it dropped (ssh gave no message)";
        }

        return exitCode == SshItself ? $"ssh to {host} failed: {LastLine(standardError)}" : null;
    }

    // Only what ssh says while it connects: a refused login or a closed session later must never read as "away".
    private static readonly string[] UnreachableSigns =
        ["ssh: connect to host", "Could not resolve hostname", "Connection timed out during banner exchange", "No route to host", "Network is unreachable"];

    private static bool Unreachable(string standardError) =>
        UnreachableSigns.Any(sign => standardError.Contains(sign, StringComparison.Ordinal));

    private static string KnownHostsName(string host, int port) => port == 22 ? host : $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no message" : lines[^1].TrimEnd('.');
    }
}
