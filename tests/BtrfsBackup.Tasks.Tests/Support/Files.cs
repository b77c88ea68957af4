using System.Security.Cryptography;

namespace BtrfsBackup.Tests.Support;

/// <summary>File contents for tests: random data, and a comparison of two trees file by file.</summary>
internal static class Files
{
    public static void WriteRandom(string path, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        File.WriteAllBytes(path, data);
    }

    /// <summary>Relative path → SHA-256 of every file below <paramref name="root"/>.</summary>
    public static SortedDictionary<string, string> Digests(string root) =>
        new(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                file => Path.GetRelativePath(root, file),
                file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))),
            StringComparer.Ordinal);
}
