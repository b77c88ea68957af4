using BtrfsBackup.Btrfs;
using BtrfsBackup.Remote;
using BtrfsBackup.Tests.Support;
using CliWrap;
using CliWrap.Buffered;

namespace BtrfsBackup.Tests.Contrib;

/// <summary>
/// contrib/ssh/btrfsbackup-ssh-filter, the forced command for btrfsbackup's SSH key, run as sshd runs
/// it (the command in SSH_ORIGINAL_COMMAND, the allowed prefixes as arguments) with fake btrfs, sudo,
/// zstd and the rest first on PATH: each prints its name and its arguments, one a line, then copies
/// its standard input, and leaves a marker. Each of btrfsbackup's commands reaches its program with
/// exactly its words; anything else is refused before any program runs.
/// </summary>
[TestFixture]
public sealed class SshFilterTests
{
    private const string Refused = "btrfsbackup-ssh-filter: refused: ";

    private static readonly string Filter = Path.Combine(CakeCli.RepositoryRoot, "contrib", "ssh", "btrfsbackup-ssh-filter");

    private static readonly string[] FakePrograms = ["btrfs", "findmnt", "readlink", "stat", "mkdir", "cat", "dd", "chmod", "mv", "flock", "zstd", "sh"];

    private string sandbox = string.Empty;

    /// <summary>The first allowed prefix ({P}): a plain word, given to the filter with a trailing slash.</summary>
    private string Prefix => Path.Combine(sandbox, "backup");

    /// <summary>The second allowed prefix ({S}), with a space in its name.</summary>
    private string SecondPrefix => Path.Combine(sandbox, "second prefix");

    /// <summary>A folder beside the prefixes ({O}), not under either.</summary>
    private string Outside => Path.Combine(sandbox, "outside");

    private string Bin => Path.Combine(sandbox, "bin");

    private string Marker => Path.Combine(sandbox, "a-program-ran");

    public static IEnumerable<TestCaseData> AllowedCommands()
    {
        var cases = new (string Name, string[][] Parts)[]
        {
            ("list", [["btrfs", "subvolume", "list", "-g", "-c", "-u", "-q", "-R", "/"]]),
            ("list_read_only_anywhere", [["btrfs", "subvolume", "list", "-g", "-c", "-u", "-q", "-R", "-r", "{O}/it's here/"]]),
            ("show_anywhere", [["btrfs", "subvolume", "show", "/srv/my data"]]),
            ("sync_anywhere", [["btrfs", "filesystem", "sync", "/srv/my data"]]),
            ("findmnt", [["findmnt", "-J", "-n", "-o", "TARGET,FSTYPE,FSROOT,UUID", "--target", "{O}/o'brien"]]),
            ("readlink_existing", [["readlink", "-e", "--", "/home/my files"]]),
            ("readlink", [["readlink", "--", "{P}/host/latest"]]),
            ("stat_file_type", [["stat", "-L", "--printf=%F", "--", "{S}/café"]]),
            ("stat_entry_type", [["stat", "--printf=%F", "--", "{P}/host/it's 2026-11-26T03:00:00+01:00"]]),
            ("readlink_existing_and_whether_a_directory", [["readlink", "-e", "--", "/home/my files", "/home/my files/"]]),
            ("snapshot", [["btrfs", "subvolume", "snapshot", "-r", "{S}/my host/@home", "{P}/host/it's 2026-11-26T03:00:00+01:00"]]),
            ("delete", [["btrfs", "subvolume", "delete", "{P}/host/it's 2026-11-26T03:00:00+01:00"]]),
            ("delete_just_below_a_prefix", [["btrfs", "subvolume", "delete", "{S}/x"]]),
            ("send", [["btrfs", "send", "{P}/host/snap 1"]]),
            ("send_with_parent", [["btrfs", "send", "-p", "{P}/host/snap 1", "{S}/it's 2"]]),
            ("receive", [["btrfs", "receive", "{S}/my host"]]),
            ("receive_into_a_prefix_itself", [["btrfs", "receive", "{P}/"]]),
            ("mkdir", [["mkdir", "-p", "--", "{S}/new host/it's deeper"]]),
            ("cat_target_record", [["cat", "--", "{P}/host/.btrfsbackup-target.json"]]),
            ("cat_source_record", [["cat", "--", "{S}/my host/.btrfsbackup-source.json"]]),
            ("cat_last_backup_record", [["cat", "--", "{P}/.btrfsbackup-last-backup"]]),
            ("dd_target_record", [["dd", "of={S}/my host/.btrfsbackup-target.json.tmp", "oflag=nofollow", "conv=fsync", "status=none"]]),
            ("dd_source_record", [["dd", "of={P}/host/.btrfsbackup-source.json.tmp", "oflag=nofollow", "conv=fsync", "status=none"]]),
            ("dd_last_backup_record", [["dd", "of={P}/it's/.btrfsbackup-last-backup.tmp", "oflag=nofollow", "conv=fsync", "status=none"]]),
            ("stat_target_record", [["stat", "--printf=%a:%U:%F", "--", "{S}/my host/.btrfsbackup-target.json"]]),
            ("stat_last_backup_record", [["stat", "--printf=%a:%U:%F", "--", "{P}/it's/.btrfsbackup-last-backup"]]),
            ("chmod_target_record", [["chmod", "0600", "--", "{S}/my host/.btrfsbackup-target.json.tmp"]]),
            ("chmod_source_record", [["chmod", "0600", "--", "{P}/.btrfsbackup-source.json.tmp"]]),
            ("mv_target_record", [["mv", "-f", "--", "{S}/my host/.btrfsbackup-target.json.tmp", "{S}/my host/.btrfsbackup-target.json"]]),
            ("mv_source_record", [["mv", "-f", "--", "{P}/.btrfsbackup-source.json.tmp", "{P}/.btrfsbackup-source.json"]]),
            ("mv_last_backup_record", [["mv", "-f", "--", "{P}/h/.btrfsbackup-last-backup.tmp", "{P}/h/.btrfsbackup-last-backup"]]),
            ("record_read_in_one_command", [RecordCommands.Read("{S}/my host/.btrfsbackup-target.json")]),
            ("record_write_in_one_command", [RecordCommands.Write("{P}/it's/.btrfsbackup-last-backup")]),
            ("flock_a_prefix", [["flock", "-n", "-E", "75", "{S}", "cat"]]),
            ("flock", [["flock", "-n", "-E", "75", "{P}/host", "cat"]]),
            ("cat_alone_for_the_master_connection", [["cat"]]),
            ("send_compressed", [["btrfs", "send", "{P}/host/snap 1"], ["zstd", "-c", "-1"]]),
            ("send_with_parent_compressed", [["btrfs", "send", "-p", "{P}/it's 1", "{P}/it's 2"], ["zstd", "-c", "-19"]]),
            ("receive_compressed", [["zstd", "-d", "-c"], ["btrfs", "receive", "{S}/my host"]]),
        };

        foreach (var (name, parts) in cases)
        {
            yield return new TestCaseData(new AllowedCase(parts), false).SetName($"Allowed_{name}");
            if (parts[0][0] != "sh")
            {
                // The record scripts never go through sudo: the sudo rule would then have to allow sh, that is anything.
                yield return new TestCaseData(new AllowedCase(parts), true).SetName($"Allowed_with_sudo_{name}");
            }
        }
    }

    public static IEnumerable<TestCaseData> HostileCommands()
    {
        var cases = new (string Name, string? Command, string Reason)[]
        {
            ("rm_rf_root", "rm -rf /", "not one of btrfsbackup's commands"),
            ("delete_root", "btrfs subvolume delete /", "is not strictly below an allowed path"),
            ("delete_outside", "btrfs subvolume delete {O}/snapshot", "is not strictly below an allowed path"),
            ("delete_the_prefix", "btrfs subvolume delete {P}", "is not strictly below an allowed path"),
            ("delete_the_prefix_with_a_slash", "btrfs subvolume delete {P}/", "is not strictly below an allowed path"),
            ("delete_with_another_option", "btrfs subvolume delete --commit-each {P}/x", "not one of btrfsbackup's commands"),
            ("receive_into_etc", "btrfs receive /etc", "is not under an allowed path"),
            ("send_outside", "btrfs send /etc/shadow-snapshot", "is not under an allowed path"),
            ("send_with_a_parent_outside", "btrfs send -p /home/.snapshots/a {P}/b", "is not under an allowed path"),
            ("snapshot_of_a_subvolume_outside", "btrfs subvolume snapshot -r /home {P}/home", "is not under an allowed path"),
            ("snapshot_to_outside", "btrfs subvolume snapshot -r {P}/a /etc/a", "is not under an allowed path"),
            ("writable_snapshot", "btrfs subvolume snapshot {P}/a {P}/b", "not one of btrfsbackup's commands"),
            ("semicolon", "btrfs subvolume list -g -c -u -q -R {P} ; rm -rf /", "unexpected character ';'"),
            ("semicolon_without_spaces", "btrfs subvolume show {P};rm -rf /", "unexpected character ';'"),
            ("and_and", "btrfs subvolume show {P} && rm -rf /", "unexpected character '&'"),
            ("or_or", "btrfs subvolume show {P} || rm -rf /", "unexpected character '|'"),
            ("backticks", "btrfs subvolume show `rm -rf /`", "unexpected character '`'"),
            ("command_substitution", "btrfs subvolume show $(rm -rf /)", "unexpected character '$'"),
            ("command_substitution_in_a_word", "btrfs subvolume delete {P}/$(id)", "unexpected character '$'"),
            ("variable", "btrfs subvolume show $HOME", "unexpected character '$'"),
            ("output_redirection", "btrfs send {P}/snapshot > /etc/passwd", "unexpected character '>'"),
            ("input_redirection", "btrfs receive {P} < /etc/shadow", "unexpected character '<'"),
            ("newline", "btrfs subvolume show {P}\nrm -rf /", "control character"),
            ("newline_in_quotes", "btrfs subvolume delete '{P}/x\n'", "control character"),
            ("tab", "btrfs subvolume show\t{P}", "control character"),
            ("carriage_return", "btrfs subvolume show {P}\r", "control character"),
            ("dot_dot", "btrfs receive {P}/../etc", "is not an absolute path without"),
            ("dot_dot_quoted", "btrfs subvolume delete '{P}/host/../../etc'", "is not an absolute path without"),
            ("dot", "mkdir -p -- {P}/./x", "is not an absolute path without"),
            ("empty_component", "btrfs subvolume delete {P}//x", "is not an absolute path without"),
            ("relative_path", "btrfs subvolume list -g -c -u -q -R backup", "is not an absolute path without"),
            ("prefix_lookalike", "btrfs receive {P}2/x", "is not under an allowed path"),
            ("cat_shadow", "cat -- /etc/shadow", "is not one of btrfsbackup's record files"),
            ("cat_another_file_under_the_prefix", "cat -- {P}/other-file", "is not one of btrfsbackup's record files"),
            ("cat_a_record_outside", "cat -- /etc/.btrfsbackup-target.json", "is not under an allowed path"),
            ("cat_through_a_symlink_below_the_prefix", "cat -- {P}/escape/.btrfsbackup-target.json", "is not under an allowed path"),
            ("cat_a_record_that_is_a_symlink", "cat -- {P}/host/.btrfsbackup-source.json", "is not under an allowed path"),
            ("cat_standard_input_by_name", "cat -", "not one of btrfsbackup's commands"),
            ("cat_without_dash_dash", "cat {P}/.btrfsbackup-target.json", "not one of btrfsbackup's commands"),
            ("chmod_setuid_of_a_record", "chmod 4755 -- {P}/.btrfsbackup-target.json.tmp", "not one of btrfsbackup's commands"),
            ("chmod_of_a_file_not_a_record", "chmod 0600 -- {P}/shadow.tmp", "is not one of btrfsbackup's record files"),
            ("chmod_of_a_record_outside", "chmod 0600 -- /etc/.btrfsbackup-target.json.tmp", "is not under an allowed path"),
            ("stat_of_a_file_not_a_record", "stat --printf=%a:%U:%F -- {P}/secret", "is not one of btrfsbackup's record files"),
            ("dd_following_symlinks", "dd of={P}/.btrfsbackup-target.json.tmp conv=fsync status=none", "not one of btrfsbackup's commands"),
            ("dd_to_passwd", "dd of=/etc/passwd oflag=nofollow conv=fsync status=none", "is not one of btrfsbackup's record files"),
            ("dd_to_a_record_outside", "dd of=/etc/.btrfsbackup-target.json.tmp oflag=nofollow conv=fsync status=none", "is not under an allowed path"),
            ("dd_over_a_record_itself", "dd of={P}/.btrfsbackup-target.json oflag=nofollow conv=fsync status=none", "is not one of btrfsbackup's record files"),
            ("dd_with_an_input_file", "dd if=/etc/shadow of={P}/.btrfsbackup-target.json.tmp oflag=nofollow conv=fsync status=none", "not one of btrfsbackup's commands"),
            ("mv_over_passwd", "mv -f -- {P}/.btrfsbackup-target.json.tmp /etc/passwd", "mv only renames"),
            ("mv_into_another_folder", "mv -f -- {P}/a/.btrfsbackup-target.json.tmp {P}/b/.btrfsbackup-target.json", "mv only renames"),
            ("mv_a_record_outside", "mv -f -- /etc/.btrfsbackup-target.json.tmp /etc/.btrfsbackup-target.json", "is not under an allowed path"),
            ("mv_another_file", "mv -f -- {P}/x.tmp {P}/x", "is not one of btrfsbackup's record files"),
            ("glob", "btrfs subvolume delete {P}/*", "unexpected character '*'"),
            ("glob_in_cat", "cat -- {P}/.btrfsbackup-*", "unexpected character '*'"),
            ("unterminated_quote", "btrfs subvolume delete '{P}/x", "unterminated quote"),
            ("double_quotes", "btrfs subvolume show \"/etc\"", "unexpected character '\"'"),
            ("backslash", "btrfs subvolume show \\/etc", "unexpected character '\\'"),
            ("quote_glued_to_a_word", "btrfs subvolume show '{P}'x", "after a word"),
            ("two_spaces", "btrfs  subvolume show /", "single space"),
            ("leading_space", " btrfs subvolume show /", "unexpected character ' '"),
            ("trailing_space", "btrfs subvolume show / ", "single space"),
            ("sudo_without_n", "sudo btrfs subvolume show /", "sudo only as sudo -n"),
            ("sudo_rm", "sudo -n rm -rf /", "not one of btrfsbackup's commands"),
            ("sudo_as_another_user", "sudo -n -u root btrfs subvolume show /", "not one of btrfsbackup's commands"),
            ("sudo_sudo", "sudo -n sudo -n btrfs subvolume show /", "not one of btrfsbackup's commands"),
            ("sudo_alone", "sudo -n", "sudo -n runs nothing"),
            ("send_through_a_symlink_below_the_prefix", "btrfs send {P}/escape/snapshot", "is not under an allowed path"),
            ("delete_through_a_symlink_below_the_prefix", "btrfs subvolume delete {P}/escape/snapshot", "is not strictly below an allowed path"),
            ("mkdir_outside", "mkdir -p -- /etc/cron.d/x", "is not under an allowed path"),
            ("readlink_with_another_option", "readlink -f -- /etc", "not one of btrfsbackup's commands"),
            ("readlink_of_two_different_paths", "readlink -e -- /home /etc/", "readlink -e with two paths only as PATH PATH/"),
            ("findmnt_with_other_columns", "findmnt -J -n -o TARGET,SOURCE,OPTIONS --target /", "not one of btrfsbackup's commands"),
            ("zstd_into_sh", "zstd -d -c | sh", "not one of btrfsbackup's commands"),
            ("zstd_into_a_receive_outside", "zstd -d -c | btrfs receive /etc", "is not under an allowed path"),
            ("zstd_into_cat", "zstd -d -c | cat -- {P}/.btrfsbackup-target.json", "only btrfs receive reads from zstd"),
            ("zstd_alone", "zstd -d -c", "not one of btrfsbackup's commands"),
            ("send_outside_into_zstd", "btrfs send /home/.snapshots/x | zstd -c -3", "is not under an allowed path"),
            ("zstd_level_20", "btrfs send {P}/s | zstd -c -20", "the only pipelines"),
            ("zstd_under_sudo", "btrfs send {P}/s | sudo -n zstd -c -3", "the only pipelines"),
            ("send_into_sh", "btrfs send {P}/s | sh", "the only pipelines"),
            ("cat_into_zstd", "cat -- {P}/.btrfsbackup-target.json | zstd -c -3", "only btrfs send writes into zstd"),
            ("two_pipes", "btrfs send {P}/s | zstd -c -3 | sh", "a pipe only"),
            ("pipe_first", "| sh", "a pipe only"),
            ("pipe_last", "btrfs send {P}/s |", "a pipe only"),
            ("quoted_pipe_is_a_word", "btrfs send {P}/s '|' zstd -c -3", "not one of btrfsbackup's commands"),
            ("flock_outside", "flock -n -E 75 /etc cat", "is not under an allowed path"),
            ("flock_runs_bash", "flock -n -E 75 {P} bash", "not one of btrfsbackup's commands"),
            ("flock_runs_cat_of_a_file", "flock -n -E 75 {P} cat /etc/shadow", "not one of btrfsbackup's commands"),
            ("record_script_through_sudo", $"sudo -n {Quoted(RecordCommands.Write("{P}/.btrfsbackup-target.json"))}", "never run through sudo"),
            ("record_script_changed", Quoted(RecordCommands.Write("{P}/.btrfsbackup-target.json")).Replace("conv=excl,fsync", "conv=fsync", StringComparison.Ordinal), "not one of btrfsbackup's commands"),
            ("sh_running_anything", "sh -c 'rm -rf \"$1\"' btrfsbackup-record {P}/.btrfsbackup-target.json", "not one of btrfsbackup's commands"),
            ("record_script_on_passwd", Quoted(RecordCommands.Write("/etc/passwd")), "is not one of btrfsbackup's record files"),
            ("record_script_on_a_record_outside", Quoted(RecordCommands.Write("/etc/.btrfsbackup-target.json")), "is not under an allowed path"),
            ("record_script_through_a_symlink_below_the_prefix", Quoted(RecordCommands.Read("{P}/escape/.btrfsbackup-target.json")), "is not under an allowed path"),
            ("record_script_with_a_second_path", $"{Quoted(RecordCommands.Read("{P}/.btrfsbackup-target.json"))} /etc/shadow", "not one of btrfsbackup's commands"),
            ("empty", "", "empty command"),
            ("unset", null, "this key only runs btrfsbackup's commands"),
        };

        return cases.Select(c => new TestCaseData(c.Command, c.Reason).SetName($"Refused_{c.Name}"));
    }

    public static IEnumerable<TestCaseData> BadPrefixes()
    {
        yield return new TestCaseData((object)Array.Empty<string>(), "no allowed path prefix").SetName("Bad_prefixes_none");
        yield return new TestCaseData((object)new[] { "backup" }, "is not an absolute path").SetName("Bad_prefixes_relative");
        yield return new TestCaseData((object)new[] { "{P}/../etc" }, "is not an absolute path").SetName("Bad_prefixes_dot_dot");
        yield return new TestCaseData((object)new[] { "{P}", "" }, "is not an absolute path").SetName("Bad_prefixes_one_empty");
    }

    [SetUp]
    public void CreateSandbox()
    {
        sandbox = Directory.CreateTempSubdirectory("btrfsbackup-ssh-filter-").FullName;
        Assume.That(ShellQuoting.Quote(sandbox), Is.EqualTo(sandbox), "the hostile commands are written with the sandbox's path as a plain word");

        foreach (var folder in new[] { Bin, Path.Combine(Prefix, "host"), SecondPrefix, Outside })
        {
            Directory.CreateDirectory(folder);
        }

        // Below the prefix, symbolic links out of it, such as a received stream could leave there.
        File.WriteAllText(Path.Combine(Outside, "secret"), "secret\n");
        Directory.CreateSymbolicLink(Path.Combine(Prefix, "escape"), Outside);
        File.CreateSymbolicLink(Path.Combine(Prefix, "host", ".btrfsbackup-source.json"), Path.Combine(Outside, "secret"));

        foreach (var program in FakePrograms)
        {
            WriteFake(program, $$"""
                #!/bin/bash
                printf '%s\n' '[{{program}}]' "$@"
                : >> '{{Marker}}'
                PATH=/usr/bin:/bin
                cat
                [[ ${FAKE_FAIL-} != {{program}} ]] || exit 3
                """);
        }

        WriteFake("sudo", $$"""
            #!/bin/bash
            printf '%s\n' '[sudo]' "$@"
            : >> '{{Marker}}'
            [[ $1 == -n ]] || exit 99
            shift
            exec "$@"
            """);
    }

    [TearDown]
    public void RemoveSandbox() => Directory.Delete(sandbox, recursive: true);

    [TestCaseSource(nameof(AllowedCommands))]
    public async Task Runs_btrfsbackups_command_with_exactly_its_words(AllowedCase allowed, bool sudo)
    {
        var parts = allowed.Parts.Select(part => part.Select(Expand).ToArray()).Select(part => sudo && part[0] != "zstd" ? ["sudo", "-n", .. part] : part).ToArray();
        var command = string.Join(" | ", parts.Select(part => ShellQuoting.Render(part[0], part[1..])));
        // The last part prints first, then copies what the part before it printed.
        var expected = Enumerable.Reverse(parts).SelectMany(Printed).ToArray();

        var result = await RunFilter(command);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, $"{command}: {result.StandardError}");
            Assert.That(result.StandardError, Is.Empty);
            Assert.That(Lines(result.StandardOutput), Is.EqualTo(expected), command);
        }
    }

    [TestCaseSource(nameof(HostileCommands))]
    public async Task Refuses_anything_else_and_runs_nothing(string? template, string reason)
    {
        var command = template is null ? null : Expand(template);

        var result = await RunFilter(command);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), $"{command}: {result.StandardOutput}{result.StandardError}");
            Assert.That(result.StandardError, Does.StartWith(Refused).And.Contain(reason).And.EndWith("\n"));
            Assert.That(Lines(result.StandardError), Has.Length.EqualTo(1), "one line of refusal");
            Assert.That(result.StandardOutput, Is.Empty);
            Assert.That(File.Exists(Marker), Is.False, "no program ran");
        }
    }

    [TestCaseSource(nameof(BadPrefixes))]
    public async Task Refuses_everything_when_the_prefixes_are_not_clean_absolute_paths(string[] prefixes, string reason)
    {
        var result = await RunFilter("btrfs subvolume show /", prefixes: [.. prefixes.Select(Expand)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.StandardError, Does.StartWith(Refused).And.Contain(reason));
            Assert.That(File.Exists(Marker), Is.False, "no program ran");
        }
    }

    [Test]
    public async Task Reads_the_quotes_as_a_shell_would()
    {
        // Written out by hand here, not with ShellQuoting: '\'' inside a word, and a word ending in a quote.
        var result = await RunFilter($"btrfs subvolume snapshot -r '{Prefix}/my host/it'\\''s' '{Prefix}/'\\'''");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(Lines(result.StandardOutput), Is.EqualTo(new[] { "[btrfs]", "subvolume", "snapshot", "-r", $"{Prefix}/my host/it's", $"{Prefix}/'" }));
        }
    }

    [Test]
    public async Task A_failing_command_fails_the_filter_with_its_exit_status()
    {
        var alone = await RunFilter("btrfs subvolume show /", fail: "btrfs");
        var send = await RunFilter($"btrfs send {Prefix}/s | zstd -c -3", fail: "btrfs");
        var decompress = await RunFilter($"zstd -d -c | btrfs receive {Prefix}", fail: "zstd");
        var receive = await RunFilter($"zstd -d -c | btrfs receive {Prefix}", fail: "btrfs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(alone.ExitCode, Is.EqualTo(3));
            Assert.That(send.ExitCode, Is.EqualTo(3), "btrfs send failed, though zstd did not");
            Assert.That(decompress.ExitCode, Is.EqualTo(3), "zstd failed, though btrfs receive did not");
            Assert.That(receive.ExitCode, Is.EqualTo(3));
        }
    }

    [Test]
    public void The_filter_is_an_executable_bash_script()
    {
        Assert.That(File.ReadLines(Filter).First(), Is.EqualTo("#!/bin/bash"));
        Assert.That(File.GetUnixFileMode(Filter) & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
    }

    [Test]
    public void Shellcheck_finds_nothing()
    {
        if (Shell.TryRun("sh", "-c", "command -v shellcheck").ExitCode != 0)
        {
            Assert.Ignore("shellcheck is not installed here");
        }

        var result = Shell.TryRun("shellcheck", Filter);

        Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
    }

    private static IEnumerable<string> Printed(string[] words) =>
        words[0] == "sudo"
            ? ["[sudo]", .. words[1..], .. Printed(words[2..])]
            : [$"[{words[0]}]", .. words[1..]];

    private static string Quoted(string[] words) => ShellQuoting.Render(words[0], words[1..]);

    private static string[] Lines(string output) => output.Split('\n')[..^1];

    private string Expand(string template) =>
        template.Replace("{P}", Prefix, StringComparison.Ordinal)
            .Replace("{S}", SecondPrefix, StringComparison.Ordinal)
            .Replace("{O}", Outside, StringComparison.Ordinal);

    private void WriteFake(string program, string script)
    {
        var path = Path.Combine(Bin, program);
        File.WriteAllText(path, script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task<BufferedCommandResult> RunFilter(string? command, string? fail = null, IReadOnlyList<string>? prefixes = null) =>
        Cli.Wrap(Filter)
            .WithArguments(prefixes ?? [Prefix + "/", SecondPrefix])
            .WithEnvironmentVariables(environment => environment
                .Set("PATH", $"{Bin}:{Environment.GetEnvironmentVariable("PATH")}")
                .Set("SSH_ORIGINAL_COMMAND", command)
                .Set("FAKE_FAIL", fail))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()
            .Task;

    /// <summary>One of btrfsbackup's commands, as words with {P}, {S} and {O} for the sandbox's folders; more than one part for a pipeline.</summary>
    public sealed record AllowedCase(string[][] Parts);
}
