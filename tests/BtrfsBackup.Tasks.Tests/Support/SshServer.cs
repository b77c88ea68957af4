using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// A real OpenSSH server for tests: <c>/usr/sbin/sshd</c> in the foreground, a child process of the
/// test, listening on 127.0.0.1 and a free port, with its host key, client key, known_hosts, config,
/// pid file and log all in a folder the test owns. Disposing stops it (by its pid, never by name)
/// and removes the users and sudoers files it made; so does process exit.
/// </summary>
/// <remarks>
/// Outside the folder it touches only what it makes and removes again: the users of
/// <see cref="AddUser"/> and the files of <see cref="AllowSudo"/>. The one exception is
/// <c>/run/sshd</c>, sshd's privilege separation directory, which it creates (root, 0755) when
/// missing and leaves in place.
/// <para>
/// Public keys come from <c>AuthorizedKeysCommand /usr/bin/cat FOLDER/users/%u/authorized_keys</c>,
/// run as root, not from <c>AuthorizedKeysFile</c>: sshd opens an AuthorizedKeysFile as the user
/// logging in (who cannot enter the 0700 folder), and StrictModes refuses a file any of whose
/// parent directories is group or world writable, as /tmp is (the sticky bit does not count).
/// This way StrictModes stays on.
/// </para>
/// </remarks>
public sealed partial class SshServer : IDisposable
{
    public const string Loopback = "127.0.0.1";
    private const string SshdProgram = "/usr/sbin/sshd";
    private const string PrivilegeSeparationDirectory = "/run/sshd";
    private const string SudoersDirectory = "/etc/sudoers.d";
    private const int Term = 15;
    private const int Kill = 9;
    private const int NoSuchProcess = 3;
    private const int StartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SshTimeout = TimeSpan.FromMinutes(2);
    private static readonly UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly List<SshServer> Live = [];

    // useradd and userdel take a lock on /etc/passwd and fail rather than wait: one at a time in this process, retried across processes.
    private static readonly Lock Accounts = new();
    private readonly List<string> users = [];
    private readonly List<string> sudoersFiles = [];
    private CommandTask<CommandResult>? running;
    private bool disposed;

    static SshServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
        Console.CancelKeyPress += (_, _) => DisposeAll();
    }

    private SshServer(string folder)
    {
        Folder = folder;
    }

    public string Folder { get; }

    public string Host { get; } = Loopback;

    public int Port { get; private set; }

    /// <summary>The client's private key (ed25519, no passphrase), authorized for root by <see cref="Start"/>.</summary>
    public string ClientKey => Path.Combine(Folder, "client_ed25519");

    /// <summary>A known_hosts file holding the server's host key for <c>[127.0.0.1]:PORT</c>.</summary>
    public string KnownHosts => Path.Combine(Folder, "known_hosts");

    public string HostKey => Path.Combine(Folder, "ssh_host_ed25519_key");

    public string ConfigFile => Path.Combine(Folder, "sshd_config");

    public string PidFile => Path.Combine(Folder, "sshd.pid");

    /// <summary>sshd's stderr (<c>-e</c>), appended to across restarts.</summary>
    public string LogFile => Path.Combine(Folder, "sshd.log");

    public bool IsRunning => running is { Task.IsCompleted: false };

    /// <summary>The pid of the listening sshd, the child process this server started.</summary>
    public int ProcessId => running?.ProcessId ?? throw new InvalidOperationException("sshd is not running");

    /// <summary>
    /// The options that make <c>ssh</c> use this server's client key, known_hosts and port and nothing
    /// else (no ssh_config, no agent keys, no prompts): put <c>USER@127.0.0.1</c> and the command after them.
    /// </summary>
    public IReadOnlyList<string> ClientOptions =>
    [
        "-F", "/dev/null",
        "-o", "BatchMode=yes",
        "-o", $"UserKnownHostsFile={KnownHosts}",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "IdentitiesOnly=yes",
        "-i", ClientKey,
        "-o", "ConnectTimeout=30",
        "-p", Port.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>
    /// Makes <paramref name="folder"/> (mode 0700), keys, known_hosts and config in it, and starts sshd on a
    /// free port of 127.0.0.1, returning once it accepts connections. Root may log in with <see cref="ClientKey"/>.
    /// </summary>
    public static SshServer Start(string folder)
    {
        EnsureAvailable();
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder, Private);
        File.SetUnixFileMode(folder, Private);
        var server = new SshServer(folder);
        lock (Live)
        {
            Live.Add(server);
        }

        try
        {
            EnsurePrivilegeSeparationDirectory();
            Directory.CreateDirectory(Path.Combine(folder, "users"), Private);
            GenerateKey(server.HostKey, "btrfsbackup test host key");
            GenerateKey(server.ClientKey, "btrfsbackup test client key");
            server.AuthorizeRoot();
            server.StartOnFreePort();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary><c>ssh://[USER@]127.0.0.1:PORT/PATH</c>; <paramref name="path"/> is absolute, with or without its leading slash.</summary>
    public string Url(string path, string? user = null) =>
        $"ssh://{(user is null ? string.Empty : user + "@")}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{path.TrimStart('/')}";

    /// <summary>The authorized_keys file sshd reads for <paramref name="user"/> (through AuthorizedKeysCommand).</summary>
    public string AuthorizedKeys(string user) => Path.Combine(Folder, "users", user, "authorized_keys");

    /// <summary>
    /// (Re)writes root's authorized_keys with the client key; with <paramref name="forcedCommand"/>, as
    /// <c>command="...",restrict</c>, so that sshd runs that command whatever the client asks
    /// (which it finds in <c>$SSH_ORIGINAL_COMMAND</c>).
    /// </summary>
    public void AuthorizeRoot(string? forcedCommand = null) => Authorize("root", forcedCommand);

    /// <summary>As <see cref="AuthorizeRoot"/>, for <paramref name="user"/>.</summary>
    public void Authorize(string user, string? forcedCommand = null)
    {
        CheckName(user);
        if (forcedCommand is not null && forcedCommand.IndexOfAny(['\n', '\r']) >= 0)
        {
            throw new ArgumentException("a forced command must be a single line", nameof(forcedCommand));
        }

        var key = File.ReadAllText(ClientKey + ".pub").Trim();
        // Inside command="..." sshd unescapes \" and nothing else.
        var options = forcedCommand is null ? string.Empty : $"command=\"{forcedCommand.Replace("\"", "\\\"", StringComparison.Ordinal)}\",restrict ";
        var file = AuthorizedKeys(user);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!, Private);
        File.WriteAllText(file, options + key + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static int usersNamed;

    /// <summary>
    /// A name for <see cref="AddUser"/> no other test of this run uses: fixtures run side by side in one
    /// process, so the process id alone would let two of them make the same user at once.
    /// </summary>
    public static string NewUserName() =>
        $"btrfsbackup-t{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Interlocked.Increment(ref usersNamed).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Creates a local user <paramref name="name"/> (removed again on <see cref="Dispose"/>) who may log in
    /// with <see cref="ClientKey"/>. Its home is <c>/</c>, not a folder under <see cref="Folder"/>: a home the
    /// user cannot enter (the folder is 0700) makes every session print "Could not chdir to home directory"
    /// and "bash: .bashrc: Permission denied" on stderr.
    /// </summary>
    public void AddUser(string name)
    {
        CheckName(name);
        // Password "*": no password will do, yet the account is not locked ("!"), which sshd would refuse even for a key.
        RunAccountTool("useradd", "-M", "-d", "/", "-s", "/bin/bash", "-p", "*", "-c", $"btrfsbackup test user (pid {Environment.ProcessId})", name);
        lock (users)
        {
            users.Add(name);
        }

        Authorize(name);
    }

    /// <summary>
    /// Lets <paramref name="user"/> run, through <c>sudo -n</c>, as root and without a password, what
    /// <paramref name="commandsSpec"/> says (sudoers syntax after <c>NOPASSWD:</c>, e.g. <c>/usr/bin/btrfs</c>
    /// or <c>/usr/bin/btrfs receive *, /usr/bin/btrfs subvolume show *</c>). Returns the sudoers file,
    /// checked with <c>visudo -cf</c> and removed again on <see cref="Dispose"/>.
    /// </summary>
    public string AllowSudo(string user, string commandsSpec)
    {
        // sudo skips files in sudoers.d whose names hold a dot: the name is letters, digits, - and _ only.
        CheckName(user);
        var name = $"btrfsbackup-test-{user}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        var draft = Path.Combine(Folder, $"{name}.sudoers");
        File.WriteAllText(draft, $"{user} ALL=(root) NOPASSWD: {commandsSpec}\n");
        File.SetUnixFileMode(draft, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        Shell.Run("visudo", "-cf", draft);
        var installed = Path.Combine(SudoersDirectory, name);
        var staging = Path.Combine(SudoersDirectory, $".{name}");
        File.Copy(draft, staging, overwrite: true);
        File.SetUnixFileMode(staging, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        lock (sudoersFiles)
        {
            sudoersFiles.Add(installed);
        }

        File.Move(staging, installed, overwrite: true);
        return installed;
    }

    /// <summary>Runs <paramref name="remoteCommand"/> over ssh as root (joined by spaces and read by the remote shell, as ssh does).</summary>
    public (int ExitCode, string StandardOutput, string StandardError) RunSsh(params string[] remoteCommand) => RunSshAs("root", remoteCommand);

    /// <summary>As <see cref="RunSsh"/>, logging in as <paramref name="user"/>.</summary>
    public (int ExitCode, string StandardOutput, string StandardError) RunSshAs(string user, params string[] remoteCommand)
    {
        using var timeout = new CancellationTokenSource(SshTimeout);
        var result = Cli.Wrap("ssh")
            .WithArguments([.. ClientOptions, $"{user}@{Host}", "--", .. remoteCommand])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token)
            .GetAwaiter()
            .GetResult();
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Rewrites <see cref="KnownHosts"/> with the server's present host key.</summary>
    public void TrustHostKey()
    {
        var fields = File.ReadAllText(HostKey + ".pub").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        File.WriteAllText(KnownHosts, $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)} {fields[0]} {fields[1]}\n");
    }

    /// <summary>
    /// A new host key, and sshd restarted with it on the same port; <see cref="KnownHosts"/> keeps the old key,
    /// so that ssh refuses the server until <see cref="TrustHostKey"/>.
    /// </summary>
    public void ChangeHostKey()
    {
        Stop();
        GenerateKey(HostKey, "btrfsbackup test host key (changed)");
        if (!TryLaunch(Port, out var failure))
        {
            throw new InvalidOperationException($"sshd did not start again on port {Port}: {failure}");
        }
    }

    /// <summary>
    /// Stops the listening sshd (SIGTERM to its pid, SIGKILL if it lingers) and waits for it to exit.
    /// Sessions already open carry on: each runs in a process of its own.
    /// </summary>
    public void Stop()
    {
        var sshd = running;
        if (sshd is null)
        {
            return;
        }

        if (!sshd.Task.IsCompleted)
        {
            Signal(sshd.ProcessId, Term);
            if (!sshd.Task.Wait(StopTimeout))
            {
                Signal(sshd.ProcessId, Kill);
                if (!sshd.Task.Wait(StopTimeout))
                {
                    throw new InvalidOperationException($"sshd (pid {sshd.ProcessId}) did not exit after SIGKILL");
                }
            }
        }

        running = null;
    }

    /// <summary>What sshd has logged so far.</summary>
    public string ReadLog() => File.Exists(LogFile) ? ReadFrom(LogFile, 0) : string.Empty;

    public void Dispose()
    {
        lock (Live)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            Live.Remove(this);
        }

        var problems = new List<string>();
        try
        {
            Stop();
        }
        catch (InvalidOperationException exception)
        {
            problems.Add(exception.Message);
        }

        lock (sudoersFiles)
        {
            foreach (var file in sudoersFiles)
            {
                File.Delete(file);
            }

            sudoersFiles.Clear();
        }

        lock (users)
        {
            foreach (var user in users)
            {
                try
                {
                    // -f: even if a session of the user is still open. Never -r: the home is "/".
                    RunAccountTool("userdel", "-f", user);
                }
                catch (InvalidOperationException exception)
                {
                    problems.Add(exception.Message);
                }
            }

            users.Clear();
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
    }

    private static void EnsureAvailable()
    {
        string? missing = null;
        if (Environment.UserName != "root")
        {
            missing = "not running as root";
        }
        else if (new[] { SshdProgram, "/usr/bin/ssh", "/usr/bin/ssh-keygen" }.FirstOrDefault(program => !File.Exists(program)) is { } program)
        {
            missing = $"'{program}' is not installed (apt-get install openssh-server openssh-client)";
        }

        if (missing is not null)
        {
            if (Requirements.IsCi)
            {
                Assert.Fail($"ssh tests cannot run under CI=true: {missing}");
            }

            Assert.Ignore($"ssh tests skipped: {missing}");
        }
    }

    // sshd refuses to start without it (root-owned, not group or world writable); Debian's init script or systemd unit would make it.
    private static void EnsurePrivilegeSeparationDirectory()
    {
        if (!Directory.Exists(PrivilegeSeparationDirectory))
        {
            var mode = Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            Directory.CreateDirectory(PrivilegeSeparationDirectory, mode);
            File.SetUnixFileMode(PrivilegeSeparationDirectory, mode);
        }
    }

    private static void GenerateKey(string path, string comment)
    {
        // ssh-keygen asks before overwriting, and the answer would be no.
        File.Delete(path);
        File.Delete(path + ".pub");
        Shell.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", string.Empty, "-C", comment, "-f", path);
    }

    private static void CheckName(string name)
    {
        if (!AccountName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a usable user name here (lower case letters, digits, - and _; at most 32)", nameof(name));
        }
    }

    private static void RunAccountTool(string program, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            BufferedCommandResult result;
            lock (Accounts)
            {
                result = Shell.TryRun(program, arguments);
            }

            if (result.ExitCode == 0)
            {
                return;
            }

            // Another process (another test run) holds the lock on /etc/passwd, /etc/shadow or /etc/group.
            if (attempt < 50 && result.StandardError.Contains("lock", StringComparison.OrdinalIgnoreCase))
            {
                Thread.Sleep(100);
                continue;
            }

            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string ReadFrom(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void Signal(int pid, int signal)
    {
        if (SendSignal(pid, signal) != 0 && Marshal.GetLastPInvokeError() != NoSuchProcess)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    private static void DisposeAll()
    {
        SshServer[] live;
        lock (Live)
        {
            live = [.. Live];
        }

        foreach (var server in live)
        {
            try
            {
                server.Dispose();
            }
            catch (InvalidOperationException)
            {
                // The process is ending: what could not be cleaned up stays; nothing more can be done here.
            }
        }
    }

    // The port is free when picked but may be taken before sshd binds it: then another port.
    private void StartOnFreePort()
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < StartAttempts; attempt++)
        {
            if (TryLaunch(FreePort(), out var failure))
            {
                TrustHostKey();
                return;
            }

            failures.Add(failure);
            if (!failure.Contains("Address already in use", StringComparison.Ordinal) && !failure.Contains("Cannot bind", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new InvalidOperationException($"sshd did not start: {string.Join(Environment.NewLine, failures)}");
    }

    // Starts sshd on the port and waits until it says it listens there and accepts a connection; false if it exited instead.
    private bool TryLaunch(int port, out string failure)
    {
        Port = port;
        WriteConfig();
        var logStart = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
        // sh opens the log and execs sshd (same pid): sshd's stdio are files, not pipes to this process, so
        // sessions that outlive sshd (they inherit its stderr under -e) cannot keep this process waiting on a pipe.
        running = Cli.Wrap("/bin/sh")
            .WithArguments(["-c", "exec \"$1\" -D -e -f \"$2\" </dev/null >/dev/null 2>>\"$3\"", "sh", SshdProgram, ConfigFile, LogFile])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        var listening = $"Server listening on {Host} port {port.ToString(CultureInfo.InvariantCulture)}.";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var log = File.Exists(LogFile) ? ReadFrom(LogFile, logStart) : string.Empty;
            if (running.Task.IsCompleted)
            {
                failure = $"sshd exited ({running.Task.Result.ExitCode}) on port {port}: {log.Trim()}";
                running = null;
                return false;
            }

            // The log line tells that our sshd listens, not some other process that took the port.
            if (log.Contains(listening, StringComparison.Ordinal) && Accepts(port))
            {
                failure = string.Empty;
                return true;
            }

            if (clock.Elapsed > StartTimeout)
            {
                Stop();
                throw new InvalidOperationException($"sshd did not accept connections on port {port} within {StartTimeout.TotalSeconds} s: {log.Trim()}");
            }

            Thread.Sleep(20);
        }
    }

    private void WriteConfig()
    {
        var config = $"""
            # Written by the tests (SshServer): a private sshd on the loopback interface.
            ListenAddress {Host}
            Port {Port.ToString(CultureInfo.InvariantCulture)}
            HostKey "{HostKey}"
            PidFile "{PidFile}"
            AuthorizedKeysFile none
            AuthorizedKeysCommand /usr/bin/cat "{Path.Combine(Folder, "users")}/%u/authorized_keys"
            AuthorizedKeysCommandUser root
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PrintMotd no
            PrintLastLog no
            MaxSessions 50
            MaxStartups 50

            """;
        File.WriteAllText(ConfigFile, config);
        File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex AccountName();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
