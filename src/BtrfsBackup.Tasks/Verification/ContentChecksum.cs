using System.Buffers.Binary;

namespace BtrfsBackup.Verification;

/// <summary>
/// A file's XxHash128, as its two 64-bit halves. Not a <see cref="UInt128"/>: ReadyToRun leaves every
/// method that touches one to the JIT (its layout may change between runtimes), and the walker and
/// the comparison are the methods a verify run spends its time in.
/// </summary>
internal readonly record struct ContentChecksum(ulong High, ulong Low)
{
    /// <summary>Size of the hash in bytes, as <c>XxHash128</c> writes it.</summary>
    public const int Size = 16;

    /// <summary>From the big-endian bytes <c>XxHash128</c> writes.</summary>
    public static ContentChecksum From(ReadOnlySpan<byte> hash) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
}
