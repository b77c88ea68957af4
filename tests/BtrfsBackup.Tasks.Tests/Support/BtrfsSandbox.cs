using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Tests.Support;

/// <summary>
/// Real btrfs filesystems on sparse image files, loop-mounted in a private temporary folder.
/// Disposing unmounts and detaches everything; so do process exit and Ctrl-C, and the next test
/// run sweeps up after a run that was killed outright.
/// </summary>
public sealed class BtrfsSandbox : IDisposable
{
    public const string FolderPrefix = "btrfsbackup-test-";
    private static readonly List<BtrfsSandbox> Live = [];
    private readonly List<MountedImage> mounts = [];
    private bool disposed;

    static BtrfsSandbox()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
        Console.CancelKeyPress += (_, _) => DisposeAll();
    }

    private BtrfsSandbox(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public IReadOnlyList<MountedImage> Filesystems => mounts;

    /// <summary>The runtime directory (locks, transfer FIFOs) of runs in this sandbox: never the machine's own.</summary>
    internal RuntimeDirectory Runtime => new(Path.Combine(Root, "run"));

    /// <summary>
    /// This machine, with the sandbox's runtime directory and a clock that says <paramref name="localNow"/>
    /// (local time); <paramref name="transferStarted"/>, when given, is called with the pids of btrfs send
    /// and btrfs receive as each transfer starts: the processes a test may signal.
    /// </summary>
    internal RunEnvironment At(DateTime localNow, Action<int, int>? transferStarted = null) =>
        At(new DateTimeOffset(localNow), TimeZoneInfo.Local, transferStarted);

    /// <summary>As <see cref="At(DateTime, Action{int, int}?)"/>, at an instant seen from <paramref name="zone"/>.</summary>
    internal RunEnvironment At(DateTimeOffset instant, TimeZoneInfo zone, Action<int, int>? transferStarted = null) =>
        Watching(transferStarted ?? ((_, _) => { })).WithClock(new FixedClock(instant, zone));

    /// <summary>This machine, with the sandbox's runtime directory and the real clock.</summary>
    internal RunEnvironment Now() => RunEnvironment.ThisMachine(Runtime);

    /// <summary>
    /// This machine, with the sandbox's runtime directory, and <paramref name="started"/> called with the
    /// pids of btrfs send and btrfs receive as each transfer starts: the processes a test may signal.
    /// </summary>
    internal RunEnvironment Watching(Action<int, int> started)
    {
        var machine = Now();
        return new RunEnvironment
        {
            Host = machine.Host,
            Transfers = new LocalTransfer(Runtime) { ProcessesStarted = started },
            Locks = machine.Locks,
            Clock = machine.Clock,
            Runtime = machine.Runtime,
        };
    }

    /// <summary>Environment variables that point a child run (dotnet cake) at the sandbox's runtime directory and state folder (the default history's place).</summary>
    public IReadOnlyDictionary<string, string?> ChildEnvironment => new Dictionary<string, string?>
    {
        [RuntimeDirectory.EnvironmentVariable] = Runtime.Root,
        [BtrfsBackup.Configuration.RunSettings.StateDirectoryVariable] = StateFolder,
    };

    /// <summary>Where a child run keeps its history when the configuration names no <c>history_file</c>: never the machine's /var/lib/btrfsbackup.</summary>
    public string StateFolder => Path.Combine(Root, "state");

    /// <summary>Makes <paramref name="count"/> btrfs filesystems mounted at Root/fs0, Root/fs1, ...</summary>
    public static BtrfsSandbox Create(int count = 2, int sizeMiB = 256)
    {
        Requirements.EnsureRealBtrfs();
        var root = Directory.CreateTempSubdirectory($"{FolderPrefix}{Environment.ProcessId}-").FullName;
        var sandbox = new BtrfsSandbox(root);
        lock (Live)
        {
            Live.Add(sandbox);
        }

        try
        {
            for (var index = 0; index < count; index++)
            {
                sandbox.AddFilesystem($"fs{index}", sizeMiB);
            }
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }

        return sandbox;
    }

    /// <summary>Adds a filesystem, mounted at Root/NAME unless <paramref name="mountPoint"/> says elsewhere.</summary>
    public MountedImage AddFilesystem(string name, int sizeMiB, string? mountPoint = null)
    {
        var image = Path.Combine(Root, $"{name}.img");
        mountPoint ??= Path.Combine(Root, name);
        using (var file = File.Create(image))
        {
            file.SetLength((long)sizeMiB * 1024 * 1024);
        }

        Shell.Run("mkfs.btrfs", "-q", image);
        var device = Shell.Run("losetup", "--find", "--show", image).Trim();
        var mounted = new MountedImage(image, device, mountPoint);
        mounts.Add(mounted);
        Directory.CreateDirectory(mountPoint);
        Shell.Run("mount", device, mountPoint);
        mounted.IsMounted = true;
        return mounted;
    }

    public static string CreateSubvolume(string path)
    {
        Shell.Run("btrfs", "subvolume", "create", path);
        return path;
    }

    public static void Mount(MountedImage filesystem)
    {
        if (!filesystem.IsMounted)
        {
            Shell.Run("mount", filesystem.Device, filesystem.MountPoint);
            filesystem.IsMounted = true;
        }
    }

    public static void Unmount(MountedImage filesystem)
    {
        if (filesystem.IsMounted)
        {
            var result = Shell.TryRun("umount", filesystem.MountPoint);
            if (result.ExitCode != 0)
            {
                Shell.TryRun("umount", "-l", filesystem.MountPoint);
            }

            filesystem.IsMounted = false;
        }
    }

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

        foreach (var filesystem in Enumerable.Reverse(mounts))
        {
            Unmount(filesystem);
            Shell.TryRun("losetup", "-d", filesystem.Device);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A busy leftover folder is harmless; the next run's sweep removes it.
        }
    }

    private static void DisposeAll()
    {
        BtrfsSandbox[] live;
        lock (Live)
        {
            live = [.. Live];
        }

        foreach (var sandbox in live)
        {
            sandbox.Dispose();
        }
    }
}

public sealed class MountedImage(string image, string device, string mountPoint)
{
    public string Image { get; } = image;

    public string Device { get; } = device;

    public string MountPoint { get; } = mountPoint;

    public bool IsMounted { get; set; }
}
