using System.Numerics;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Gorilla's XOR compression of floating-point values (Pelkonen et al., VLDB 2015 §4.1.2), on raw bit
/// patterns so that every NaN payload, -0.0 and subnormal survives. It is the fallback for doubles that
/// are not short decimals; <see cref="DoubleCodec"/> picks whichever of this and the decimal form is smaller.
/// </summary>
/// <remarks>
/// <code>
/// stream := first:64 bits, then per value
///           '0'                                   same bits as the previous value
///           '10' meaningful bits                  XOR fits the previous leading/trailing-zero window
///           '11' leading:5 length:6 (0 = 64) bits a new window
/// </code>
/// Leading zeros are capped at 31 to fit five bits, as in the paper; the window then just starts earlier.
/// </remarks>
internal static class GorillaXorCodec
{
    /// <summary>Worst case: 2 + 5 + 6 + 64 bits per value, plus the first value.</summary>
    public static int MaxEncodedLength(int count) => 16 + (int)((count * 77L + 7) / 8);

    public static int Encode(ReadOnlySpan<long> bits, Span<byte> destination)
    {
        var writer = new BitWriter(destination);
        if (bits.IsEmpty)
        {
            return 0;
        }

        ulong previous = (ulong)bits[0];
        writer.Write(previous, 64);
        int windowLeading = -1;
        int windowTrailing = 0;
        for (int i = 1; i < bits.Length; i++)
        {
            ulong value = (ulong)bits[i];
            ulong xor = value ^ previous;
            previous = value;
            if (xor == 0)
            {
                writer.Write(0b0, 1);
                continue;
            }

            int leading = Math.Min(BitOperations.LeadingZeroCount(xor), 31);
            int trailing = BitOperations.TrailingZeroCount(xor);
            if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing)
            {
                writer.Write(0b01, 2);
                writer.Write(xor >> windowTrailing, 64 - windowLeading - windowTrailing);
                continue;
            }

            int length = 64 - leading - trailing;
            writer.Write(0b11, 2);
            writer.Write((ulong)leading, 5);
            writer.Write((ulong)(length & 63), 6);
            writer.Write(xor >> trailing, length);
            windowLeading = leading;
            windowTrailing = trailing;
        }

        return writer.Flush();
    }

    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        if (destination.IsEmpty)
        {
            if (!source.IsEmpty)
            {
                ChunkFormatException.Throw("Trailing bytes after an XOR stream.");
            }

            return;
        }

        var reader = new BitReader(source);
        ulong previous = reader.Read(64);
        destination[0] = (long)previous;
        int windowLeading = -1;
        int windowTrailing = 0;
        for (int i = 1; i < destination.Length; i++)
        {
            if (reader.ReadBit())
            {
                if (reader.ReadBit())
                {
                    windowLeading = (int)reader.Read(5);
                    int length = (int)reader.Read(6);
                    length = length == 0 ? 64 : length;
                    windowTrailing = 64 - windowLeading - length;
                    if (windowTrailing < 0)
                    {
                        ChunkFormatException.Throw("An XOR window exceeds 64 bits.");
                    }
                }
                else if (windowLeading < 0)
                {
                    ChunkFormatException.Throw("An XOR value refers to a window before any was set.");
                }

                int meaningful = 64 - windowLeading - windowTrailing;
                previous ^= reader.Read(meaningful) << windowTrailing;
            }

            destination[i] = (long)previous;
        }

        if (reader.BitsLeft >= 8)
        {
            ChunkFormatException.Throw("Trailing bytes after an XOR stream.");
        }
    }
}
