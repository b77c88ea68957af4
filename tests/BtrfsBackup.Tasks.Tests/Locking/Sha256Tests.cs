using System.Text;
using BtrfsBackup.Locking;

namespace BtrfsBackup.Tests.Locking;

/// <summary>The lock names' own SHA-256 gives what .NET's (OpenSSL's) gives, so lock files keep their names across versions.</summary>
[TestFixture]
public sealed class Sha256Tests
{
    [TestCase("")]
    [TestCase("abc")]
    [TestCase("/.snapshots/home")]
    [TestCase("ssh://backup@nas:2222/srv/backup/home")]
    [TestCase("a key of fifty-five bytes: the padding fits one block..")]
    [TestCase("a path exactly fifty-six bytes long, padding needs two b")]
    [TestCase("/mnt/ünïcödé/" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Matches_the_platforms_SHA256(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        Assert.That(Sha256.HashData(bytes), Is.EqualTo(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    [Test]
    public void Gives_the_published_digest_of_abc() =>
        Assert.That(Convert.ToHexStringLower(Sha256.HashData("abc"u8)), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}
