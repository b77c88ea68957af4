using System.Buffers.Binary;

namespace BtrfsBackup.Verification;

/// <summary>
/// A file's XxHash128, as its two 64-bit halves: cheap to compare and to hash as a key. (Not a
/// <see cref="UInt128"/>, which ReadyToRun, when the program was published that way, left to the JIT
/// in every method that touched one.)
/// </summary>
internal readonly record struct ContentChecksum(ulong High, ulong Low)
{
    /// <summary>Size of the hash in bytes, as <c>XxHash128</c> writes it.</summary>
    public const int Size = 16;

    /// <summary>From the big-endian bytes <c>XxHash128</c> writes.</summary>
    public static ContentChecksum From(ReadOnlySpan<byte> hash) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
}
