using BtrfsBackup.Btrfs;
using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Scanning;
using BtrfsBackup.Tasks;
using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests.Scenarios;

/// <summary>
/// A machine for scenarios, the same whether it is the in-memory model or real btrfs: a system disk
/// (btrfs) holding the sources and snapshot directories, and a backup disk (btrfs) mounted inside it
/// at <see cref="BackupDisk"/>, so that unplugged, its mount point is a plain directory of the system
/// disk. Scenarios are written once against this and run on both, as restic runs one suite against
/// every backend (the model, real btrfs, and real btrfs reached over ssh); everything they make is
/// inside the world and goes with it.
/// </summary>
internal abstract class ScenarioWorld : IDisposable
{
    /// <summary>"model" or "real btrfs", for messages.</summary>
    public abstract string Name { get; }

    /// <summary>Mount point of the system disk.</summary>
    public abstract string SystemDisk { get; }

    /// <summary>Mount point of the backup disk, a directory of the system disk.</summary>
    public string BackupDisk => Path.Combine(SystemDisk, "mnt", "backup");

    /// <summary>A directory on a filesystem that is not btrfs (where the test's sandbox lives).</summary>
    public abstract string Scratch { get; }

    /// <summary>What the tool asks of this machine.</summary>
    public abstract IBtrfsHost Host { get; }

    public abstract ITransferRunner Transfers { get; }

    /// <summary>
    /// The host a transfer through <see cref="Transfers"/> sends from; it receives on <see cref="Host"/>.
    /// The same host, except where <see cref="Host"/> is remote: there the world pushes from this machine.
    /// </summary>
    public virtual IBtrfsHost Sender => Host;

    public abstract bool IsPlugged { get; }

    public abstract void CreateSubvolume(string path);

    public abstract void CreateDirectory(string path);

    public abstract void CreateSymlink(string path, string target);

    public abstract void WriteFile(string path, string content);

    /// <summary><paramref name="bytes"/> of random data from <paramref name="seed"/>: the same bytes in either world.</summary>
    public abstract void WriteRandomFile(string path, int bytes, int seed);

    public abstract void AppendFile(string path, string content);

    public abstract void DeleteFile(string path);

    /// <summary><c>btrfs subvolume snapshot -r</c> by hand.</summary>
    public abstract void SnapshotReadOnly(string source, string destination);

    /// <summary><c>btrfs property set -f -ts PATH ro false</c>: writable, and without its Received UUID.</summary>
    public abstract void MakeWritable(string subvolume);

    /// <summary>Unmounts the backup disk.</summary>
    public abstract void Unplug();

    public abstract void Plug();

    /// <summary>The next transfer's btrfs receive dies (killed) before it completes.</summary>
    public abstract void KillNextReceive();

    /// <summary>Relative path → SHA-256 of every file below <paramref name="directory"/>.</summary>
    public abstract SortedDictionary<string, string> Digests(string directory);

    /// <summary>The names in a directory, sorted (none when it is not one).</summary>
    public abstract IReadOnlyList<string> Names(string directory);

    /// <summary>What <c>btrfs subvolume show</c> says of <paramref name="path"/>; null when it is not a subvolume.</summary>
    public abstract SubvolumeInfo? Show(string path);

    /// <summary>This machine for a run: its host, transfers and locks, the clock standing at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public abstract RunEnvironment At(DateTimeOffset instant, TimeZoneInfo zone);

    public abstract void Dispose();

    /// <summary>
    /// A message from the tool or the host as the local host words it. Identity here: only a world whose
    /// host is remote overrides it, because over ssh a failed command is named with the machine it ran on
    /// and a location is named as written (<c>ssh://user@host:port/path</c>), so that a person reading it
    /// knows which machine. What btrfs said, and everything else, is left as it is: the assertions stay
    /// word for word, and a different answer still fails.
    /// </summary>
    public virtual string Normalize(string message) => message;

    /// <summary>Where a pair's locations are reached from: here, as made; a remote world names its target over ssh.</summary>
    protected virtual BackupPair Locate(BackupPair pair) => pair;

    /// <summary>The subvolumes directly in <paramref name="directory"/>, by name.</summary>
    public IReadOnlyList<SubvolumeInfo> SubvolumesIn(string directory) =>
        Names(directory).Select(name => Show(Path.Combine(directory, name))).OfType<SubvolumeInfo>().ToList();

    /// <summary>
    /// A source subvolume SystemDisk/NAME holding hello.txt, snapshots in SystemDisk/.snapshots/NAME,
    /// backups in BackupDisk/TARGETFOLDER (made here; NAME unless said otherwise).
    /// </summary>
    public BackupPair CreatePair(string name, RetentionPolicy? sourceRetention, RetentionPolicy? targetRetention, string? targetFolder = null, bool withTarget = true)
    {
        var source = Path.Combine(SystemDisk, name);
        CreateSubvolume(source);
        WriteFile(Path.Combine(source, "hello.txt"), $"hello from {name}\n");
        string? target = null;
        if (withTarget)
        {
            target = Path.Combine(BackupDisk, targetFolder ?? name);
            CreateDirectory(target);
        }

        return Locate(new BackupPair(name, source, Path.Combine(SystemDisk, ".snapshots", name), target, sourceRetention, targetRetention));
    }

    /// <summary>Runs <paramref name="steps"/> of each pair in process, as the recipe's tasks do, at <paramref name="instant"/>.</summary>
    public BackupRun Run(DateTimeOffset instant, TimeZoneInfo zone, RecordingLog log, IReadOnlyList<BackupStep> steps, params BackupPair[] pairs) =>
        NightlyDriver.Run(At(instant, zone), log, steps, new BackupRunOptions(), pairs);

    /// <summary>A pair's state, read the way a run reads it.</summary>
    public Task<PairInventory> ScanAsync(BackupPair pair, TimeZoneInfo zone) =>
        new PairScanner(Host).ScanAsync(pair, ScanScope.Of(pair, zone), default);
}
