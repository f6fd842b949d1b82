namespace Fabrica.Storage.Chunks;

/// <summary>
/// The bucket layout: Gorilla's delta-of-delta prefix code (VLDB 2015 §4.1.1) with the bucket sizes moved
/// from seconds to milliseconds. The smallest bucket's width k is chosen per stream from the residuals'
/// histogram, so 1 s or 100 ms sampling with a few milliseconds of jitter costs 2 + k bits, and an
/// unchanged interval one bit. Wider buckets (24, 40 bits) and a 64-bit escape keep any delta representable.
/// </summary>
internal static partial class IntegerCodec
{
    private static void WriteBuckets(ReadOnlySpan<long> values, Plan plan, ref ByteWriter writer)
    {
        int k = plan.Parameter;
        writer.WriteByte((byte)k);
        var bits = new BitWriter(writer.Remaining);
        for (int i = SeedCount(plan.Order, values.Length); i < values.Length; i++)
        {
            ulong z = ZigZag.Encode(Residual(values, i, plan.Order, plan.Slope));
            int w = BitWidth(z);
            if (w == 0)
            {
                bits.Write(0b0, 1);
            }
            else if (w <= k)
            {
                bits.Write(0b01, 2);
                bits.Write(z, k);
            }
            else if (w <= 24)
            {
                bits.Write(0b011, 3);
                bits.Write(z, 24);
            }
            else
            {
                bits.Write(w <= 40 ? 0b0111UL : 0b1111UL, 4);
                bits.Write(z, w <= 40 ? 40 : 64);
            }
        }

        writer.Advance(bits.Flush());
    }

    private static void ReadBuckets(ref ByteReader reader, Span<long> residuals)
    {
        int k = reader.ReadByte();
        if (k is < 1 or > 23)
        {
            ChunkFormatException.Throw("Invalid bucket width in an integer stream.");
        }

        ReadOnlySpan<byte> body = reader.ReadBytes(reader.RemainingLength);
        var bits = new BitReader(body);
        for (int i = 0; i < residuals.Length; i++)
        {
            int width = !bits.ReadBit() ? 0 : !bits.ReadBit() ? k : !bits.ReadBit() ? 24 : !bits.ReadBit() ? 40 : 64;
            residuals[i] = ZigZag.Decode(bits.Read(width));
        }

        if (bits.BitsLeft >= 8)
        {
            ChunkFormatException.Throw("Trailing bytes after a bucket stream.");
        }
    }
}
