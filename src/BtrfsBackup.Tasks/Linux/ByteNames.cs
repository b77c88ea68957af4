using System.Buffers;
using System.Text;

namespace BtrfsBackup.Linux;

/// <summary>
/// File names, symlink targets and xattr names are bytes, most of them UTF-8. Decoded reversibly:
/// each byte that is not part of valid UTF-8 becomes the lone surrogate U+DC00 + byte (as Python's
/// surrogateescape does), which no valid UTF-8 decodes to, so two different names never read alike.
/// </summary>
internal static class ByteNames
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Escaped(bytes);
        }
    }

    private static string Escaped(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (bytes.Length > 0)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (var invalid in bytes[..consumed])
                {
                    text.Append((char)(0xDC00 + invalid));
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }
}
