namespace BtrfsBackup.Remote;

/// <summary>The remote machine could not be reached at all (down, off the network, no sshd): like an unplugged disk, not a fault of the pair.</summary>
internal sealed class SshUnreachableException(string message) : BackupException(message);
