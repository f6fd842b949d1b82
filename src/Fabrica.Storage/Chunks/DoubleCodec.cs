using System.Buffers;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Doubles: per chunk, the smaller of Gorilla XOR and the decimal encoding. Real sensor data is mostly
/// short decimals, where the decimal form wins by a factor of two to four; XOR keeps arbitrary bit
/// patterns (computed values, random noise) from costing more than Gorilla would.
/// <code>
/// stream := method:u8 (0 = XOR, 1 = decimal) body
/// </code>
/// </summary>
internal static class DoubleCodec
{
    private const byte MethodXor = 0;
    private const byte MethodDecimal = 1;

    public static int MaxEncodedLength(int count) => 1 + GorillaXorCodec.MaxEncodedLength(count);

    /// <summary>Encodes double bit patterns; <paramref name="scratch"/> holds one long per value.</summary>
    public static int Encode(ReadOnlySpan<long> bits, Span<byte> destination, Span<long> scratch)
    {
        destination[0] = MethodXor;
        int xorLength = GorillaXorCodec.Encode(bits, destination[1..]);
        byte[] decimalBuffer = ArrayPool<byte>.Shared.Rent(DecimalCodec.MaxEncodedLength(bits.Length));
        try
        {
            int decimalLength = DecimalCodec.Encode(bits, decimalBuffer, scratch);
            if (decimalLength < 0 || decimalLength >= xorLength)
            {
                return 1 + xorLength;
            }

            destination[0] = MethodDecimal;
            decimalBuffer.AsSpan(0, decimalLength).CopyTo(destination[1..]);
            return 1 + decimalLength;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decimalBuffer);
        }
    }

    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        if (source.IsEmpty)
        {
            ChunkFormatException.Throw("A double stream is empty.");
        }

        switch (source[0])
        {
            case MethodXor:
                GorillaXorCodec.Decode(source[1..], destination);
                break;
            case MethodDecimal:
                DecimalCodec.Decode(source[1..], destination);
                break;
            default:
                ChunkFormatException.Throw("Unknown double encoding.");
                break;
        }
    }
}
