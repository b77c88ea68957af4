namespace BtrfsBackup.Remote;

/// <summary>
/// The remote commands that read and write the tool's record files. Logged in as root, each read
/// and each write is one remote command: a fixed <c>sh</c> script, which the forced-command filter
/// compares byte for byte, given the path as its argument (never in its text). Through <c>sudo</c>,
/// the same steps one coreutils command at a time, each named in the sudo rule: allowing <c>sh</c>
/// there would allow anything.
/// </summary>
internal static class RecordCommands
{
    /// <summary>The script's name (<c>$0</c>), as the filter expects it.</summary>
    public const string ScriptName = "btrfsbackup-record";

    /// <summary>The write script's exit status when something other than a regular file stands at the path; its type (as stat's %F) is on standard output.</summary>
    public const int SomethingElseStands = 3;

    /// <summary>
    /// The steps of <see cref="StepByStepWrite"/>, in one and tighter: nothing but a regular file (or nothing) may
    /// stand at the path; standard input goes to a temporary file of this shell's own (PATH.PID.tmp, made with
    /// O_EXCL and O_NOFOLLOW, so never into a file or link someone put there; mode 0600 from the umask, so no
    /// chmod by name), flushed, then renamed over the record.
    /// </summary>
    public const string WriteScript =
        "t=$(stat --printf=%F -- \"$1\" 2>/dev/null) && case $t in \"regular file\"|\"regular empty file\") ;; *) printf %s \"$t\"; exit 3;; esac; " +
        "umask 077; dd of=\"$1.$$.tmp\" oflag=nofollow conv=excl,fsync status=none && mv -f -T -- \"$1.$$.tmp\" \"$1\"";

    /// <summary>
    /// The record's mode, owner and type (as <see cref="Status"/> prints them) on a line of their own, then its
    /// content when it is a regular file, read without following a symlink put there since.
    /// </summary>
    public const string ReadScript =
        "t=$(stat --printf=%a:%U:%F -- \"$1\") || exit; printf \"%s\\n\" \"$t\"; case $t in *:\"regular file\"|*:\"regular empty file\") exec dd if=\"$1\" iflag=nofollow status=none;; esac";

    public static string[] Write(string path) => ["sh", "-c", WriteScript, ScriptName, path];

    public static string[] Read(string path) => ["sh", "-c", ReadScript, ScriptName, path];

    public static string[] Status(string path) => ["stat", "--printf=%a:%U:%F", "--", path];

    public static string[] Content(string path) => ["cat", "--", path];

    /// <summary>The read script's last step, as its errors name it.</summary>
    public static string[] ScriptContent(string path) => ["dd", $"if={path}", "iflag=nofollow", "status=none"];

    /// <summary>The write's steps one command at a time: the check (<see cref="Status"/>) first, then these.</summary>
    public static string[][] StepByStepWrite(string path) =>
    [
        // Never through a symlink planted at the temporary name; private, as a record written here is (0600), whatever the remote umask.
        ["dd", $"of={path}.tmp", "oflag=nofollow", "conv=fsync", "status=none"],
        ["chmod", "0600", "--", $"{path}.tmp"],
        ["mv", "-f", "--", $"{path}.tmp", path],
    ];
}
