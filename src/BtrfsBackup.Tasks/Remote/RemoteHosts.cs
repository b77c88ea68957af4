using BtrfsBackup.Configuration;
using BtrfsBackup.Hosts;
using BtrfsBackup.Linux;

namespace BtrfsBackup.Remote;

/// <summary>The remote machines of one run, one shared ssh connection each, closed when the run ends.</summary>
internal sealed class RemoteHosts(RuntimeDirectory runtime) : IDisposable
{
    private readonly Dictionary<SshAccess, SshBtrfsHost> hosts = [];

    public SshBtrfsHost For(SshAccess access)
    {
        lock (hosts)
        {
            if (!hosts.TryGetValue(access, out var host))
            {
                host = new SshBtrfsHost(new SshConnection(access, runtime));
                hosts.Add(access, host);
            }

            return host;
        }
    }

    public void Dispose()
    {
        List<SshBtrfsHost> open;
        lock (hosts)
        {
            open = [.. hosts.Values];
            hosts.Clear();
        }

        foreach (var host in open)
        {
            host.Connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
