using System.Text;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosting;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Cli;

/// <summary>
/// btrfsbackup(8), in roff for man(1): written by <c>btrfsbackup --man</c> (contrib/install.sh installs
/// it) from the same targets, arguments, configuration search and exit codes as <c>--help</c>, so the
/// two never say different things.
/// </summary>
internal static class ManPage
{
    public static string Render()
    {
        var page = new StringBuilder();
        page.AppendLine($".TH BTRFSBACKUP 8 \"\" \"{Escape(HelpText.Version)}\" \"System Administration\"");
        // Left-aligned and unhyphenated: options and paths must read as they are typed.
        page.AppendLine(".nh");
        page.AppendLine(".ad l");
        page.AppendLine(".SH NAME");
        page.AppendLine(@"btrfsbackup \- snapshots of btrfs subvolumes, backed up incrementally with btrfs send and receive");
        page.AppendLine(".SH SYNOPSIS");
        page.AppendLine($".B btrfsbackup\n{Escape(HelpText.Synopsis)}");
        page.AppendLine(".br");
        page.AppendLine(".B btrfsbackup help\n[TARGET]");
        page.AppendLine(".br");
        page.AppendLine(@".B btrfsbackup \-\-version");
        page.AppendLine(".SH DESCRIPTION");
        page.AppendLine(Escape(
            "For every backup pair of its configuration, btrfsbackup takes read-only snapshots of the source subvolume, " +
            "named by the local time and its UTC offset; sends every snapshot the backup filesystem lacks with btrfs send and btrfs receive, " +
            "incrementally from the right parent; and purges old snapshots and backups, each side by its own retention, " +
            "never deleting what the next incremental backup needs nor anything it did not make. " +
            "It scans before it changes anything, and stops a pair at its first problem while the other pairs go on."));
        page.AppendLine(".PP");
        page.AppendLine(Escape(
            "The targets are Cake tasks, run on Cake's engine: the same tasks, in the same order and with the same skip reasons, " +
            "as dotnet cake --target=TARGET runs from a checkout. It needs root."));
        page.AppendLine(".SH TARGETS");
        foreach (var (name, description) in BackupTasks.Targets)
        {
            Item(page, $".B {Escape(name)}", description);
        }

        page.AppendLine(".PP");
        page.AppendLine(Escape($"Per-pair tasks can be targets too: {string.Join(", ", HelpText.PairSteps.Select(step => $"{step}:PAIR"))}."));
        page.AppendLine(".SH OPTIONS");
        foreach (var argument in HelpText.Arguments)
        {
            Item(page, $".B {Escape(argument.Syntax)}", argument.Meaning);
        }

        Item(page, @".B \-\-help", "this text, in short; help TARGET says what TARGET does");
        Item(page, @".B \-\-version", "the version");
        page.AppendLine(".SH CONFIGURATION");
        page.AppendLine(Escape($"The configuration is read from {HelpText.ConfigurationSearch} ({HelpText.ConfigurationFromCheckout}). " +
            "Its keys are described in /usr/local/lib/btrfsbackup/README.md (in a checkout, README.md and docs/contract.md)."));
        page.AppendLine(".SH ENVIRONMENT");
        Item(page, $".B {ConfigLocation.EnvironmentVariable}", "the configuration file, when --config is not given");
        Item(page, ".B NO_COLOR", "no colour in the output (there is none either when standard output is not a terminal)");
        Item(page, $".B {RuntimeDirectory.EnvironmentVariable}", $"the root-only folder for locks and transfer pipes, instead of {RuntimeDirectory.DefaultRoot}");
        Item(page, $".B {RunSettings.StateDirectoryVariable}", $"the folder of the run history when the [run] table's history_file is not set, instead of {RunSettings.DefaultStateDirectory}");
        page.AppendLine(".SH EXIT STATUS");
        foreach (var (code, meaning) in HelpText.ExitStatus)
        {
            Item(page, $".B {code}", meaning);
        }

        page.AppendLine(".SH FILES");
        Item(page, $".I {Escape(ConfigLocation.SystemPath)}", "the configuration");
        Item(page, $".I {Escape(RunSettings.DefaultStateDirectory)}/history.jsonl", "the run history, one JSON line per pair and run (the [run] table's history_file)");
        Item(page, $".I {Escape(RuntimeDirectory.DefaultRoot)}", "locks and transfer pipes of the running runs");
        Item(page, ".I /usr/local/lib/btrfsbackup/README.md", "the full documentation");
        page.AppendLine(".SH EXAMPLES");
        foreach (var (command, meaning) in Examples)
        {
            Item(page, $".B {Escape(command)}", meaning);
        }

        page.AppendLine(".SH SEE ALSO");
        page.AppendLine(@".BR btrfs (8),");
        page.AppendLine(@".BR btrfs\-subvolume (8),");
        page.AppendLine(@".BR btrfs\-send (8),");
        page.AppendLine(@".BR btrfs\-receive (8),");
        page.AppendLine(@".BR systemd.timer (5)");
        return page.ToString();
    }

    private static readonly (string Command, string Meaning)[] Examples =
    [
        ("btrfsbackup nightly --dryrun", "every btrfs command the nightly job would run, and why; changes nothing"),
        ("btrfsbackup snapshot --pair=root --suffix=pre-upgrade", "a snapshot of the root pair before an upgrade"),
        ("btrfsbackup list --pair=home --why", "the home pair's snapshots and backups, and the rule that keeps each"),
        ("btrfsbackup restore --pair=home --snapshot=latest --to=/srv/restore/home", "the newest copy of home as a new writable subvolume"),
    ];

    private static void Item(StringBuilder page, string tag, string text)
    {
        page.AppendLine(".TP");
        page.AppendLine(tag);
        page.AppendLine(Escape(text));
    }

    // Text as roff reads it: a backslash escaped, hyphens as minus signs (options stay copyable), and
    // nothing at a line's start that roff would take for a request.
    private static string Escape(string text)
    {
        var escaped = text.Replace(@"\", @"\e", StringComparison.Ordinal).Replace("-", @"\-", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? @"\&" + escaped : escaped;
    }
}
