namespace BtrfsBackup.Configuration;

/// <summary>
/// How a pair reaches a remote location: the endpoint, the key file (<c>ssh_identity</c>), extra
/// <c>-o</c> options (<c>ssh_options</c>) and whether btrfs runs through <c>sudo -n</c> there
/// (<c>ssh_sudo</c>, for a remote user that is not root).
/// </summary>
internal sealed record SshAccess(SshEndpoint Endpoint, string? Identity, IReadOnlyList<string> Options, bool Sudo)
{
    public bool Equals(SshAccess? other) =>
        other is not null && (Endpoint, Identity, Sudo) == (other.Endpoint, other.Identity, other.Sudo) && Options.SequenceEqual(other.Options);

    public override int GetHashCode() => HashCode.Combine(Endpoint, Identity, Sudo, Options.Count);

    public override string ToString() => Endpoint.ToString();
}
