namespace BtrfsBackup.Configuration;

/// <summary>
/// How a send stream travels to another machine: compressed with zstd at <see cref="CompressionLevel"/>
/// on both ends (null: as it is), at most <see cref="RateLimit"/> bytes a second (null: as fast as it goes).
/// </summary>
internal sealed record StreamOptions(int? CompressionLevel, long? RateLimit)
{
    public static StreamOptions Plain { get; } = new(null, null);
}
