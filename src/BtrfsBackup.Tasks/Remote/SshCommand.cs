using System.Globalization;
using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;

namespace BtrfsBackup.Remote;

/// <summary>
/// The ssh command lines for one remote machine: every command goes through the run's shared
/// connection (its control socket), in batch mode (never a prompt), with host keys checked as the
/// user's ssh configuration says. The remote command is one string of words quoted for the remote
/// shell, which is the only form ssh carries; the forced-command filter parses exactly this quoting.
/// </summary>
internal sealed class SshCommand(SshAccess access, string controlSocket)
{
    public const string Program = "ssh";

    public SshAccess Access { get; } = access;

    public string ControlSocket { get; } = controlSocket;

    /// <summary>The long-lived master connection, which runs <c>cat</c> as its session so it ends when this run's end of the pipe closes.</summary>
    public IReadOnlyList<string> MasterArguments() =>
        [.. CommonOptions(), "-o", "ControlMaster=yes", "-o", "ControlPersist=no", .. Destination(), "cat"];

    /// <summary>Runs <paramref name="words"/> on the remote machine through the shared connection; <c>sudo -n</c> first when the pair asks for it.</summary>
    public IReadOnlyList<string> Arguments(IReadOnlyList<string> words, bool privileged = true) =>
        [.. CommonOptions(), "-o", "ControlMaster=no", .. Destination(), RemoteLine(privileged ? Privileged(words) : words)];

    /// <summary>A pipeline of commands run on the remote machine (compression on one end of a send).</summary>
    public IReadOnlyList<string> PipelineArguments(params IReadOnlyList<string>[] stages) =>
        [.. CommonOptions(), "-o", "ControlMaster=no", .. Destination(), string.Join(" | ", stages.Select(RemoteLine))];

    /// <summary><c>sudo -n</c> before a command that needs root on a remote machine where the user is not root.</summary>
    public IReadOnlyList<string> Privileged(IReadOnlyList<string> words) => Access.Sudo ? ["sudo", "-n", .. words] : words;

    /// <summary>Closes the master connection (a no-op when it is already gone).</summary>
    public IReadOnlyList<string> ExitArguments() => [.. CommonOptions(), "-O", "exit", .. Destination()];

    /// <summary>The line a dry run prints for a remote command.</summary>
    public string Render(IReadOnlyList<string> words) => ShellQuoting.Render(Program, Arguments(words));

    private static string RemoteLine(IReadOnlyList<string> words) => string.Join(' ', words.Select(ShellQuoting.Quote));

    // The user's options come first: ssh takes the first value it sees for each option, so theirs win.
    private List<string> CommonOptions()
    {
        var options = new List<string>();
        foreach (var option in Access.Options)
        {
            options.AddRange(["-o", option]);
        }

        if (Access.Identity is { } identity)
        {
            options.AddRange(["-i", identity, "-o", "IdentitiesOnly=yes"]);
        }

        options.AddRange([
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=30",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-o", "ControlPath=" + ControlSocket,
            "-T", "-x",
        ]);
        if (Access.Endpoint.Port is { } port)
        {
            options.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }

        if (Access.Endpoint.User is { } user)
        {
            options.AddRange(["-l", user]);
        }

        return options;
    }

    // "--" ends ssh's options: a host can never be read as one.
    private string[] Destination() => ["--", Access.Endpoint.Host.Trim('[', ']')];
}
