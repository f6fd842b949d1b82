using System.Numerics;
using System.Runtime.CompilerServices;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Encodes a sequence of 64-bit integers as raw values, deltas, deltas of deltas or distances from a
/// straight line (the "order"), each
/// stored either frame-of-reference bit-packed with patched exceptions or with Gorilla's prefix buckets.
/// The encoder computes the exact cost of every combination and keeps the cheapest, so one codec serves
/// timestamps, long samples and the integers behind decimal doubles.
/// </summary>
/// <remarks>
/// Why both layouts: PFOR (Zukowski et al., ICDE 2006) costs zero bits for a constant residual and
/// w bits for noise of width w, and stores rare outliers (a gap, a step) apart instead of widening every
/// slot. Gorilla's buckets (Pelkonen et al., VLDB 2015 §4.1.1) win when residuals are mostly zero with
/// frequent small deviations, e.g. timestamps with millisecond jitter. All arithmetic wraps modulo 2^64,
/// so deltas between long.MinValue and long.MaxValue round-trip.
/// <code>
/// stream  := descriptor:u8 (bits 0-1 order, bits 2-3 layout) seeds:zigzag-varint* body
/// order   := 0 values, 1 deltas, 2 deltas of deltas (seeds: first value, first delta),
///            3 distance from the line first + i * slope (seeds: first value, slope)
/// pfor    := base:zigzag-varint width:u8 exceptions:varint packed:bits[m*width] (gap:varint high:varint){exceptions}
/// buckets := k:u8 then per residual '0' | '10' k bits | '110' 24 bits | '1110' 40 bits | '1111' 64 bits (zigzag)
/// </code>
/// </remarks>
internal static partial class IntegerCodec
{
    private const int LayoutPatchedFrame = 0;
    private const int LayoutBuckets = 1;
    private const int OrderLinear = 3;
    private const int MaxOrder = OrderLinear;

    /// <summary>An upper bound of the encoded size of <paramref name="count"/> values.</summary>
    public static int MaxEncodedLength(int count) => 64 + (count * 14);

    /// <summary>Encodes <paramref name="values"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<long> values, Span<byte> destination)
    {
        Plan best = default;
        long bestCost = long.MaxValue;
        for (int order = 0; order <= MaxOrder; order++)
        {
            Plan plan = PlanFor(values, order, out long cost);
            if (cost < bestCost)
            {
                best = plan;
                bestCost = cost;
            }
        }

        return Write(values, destination, best);
    }

    /// <summary>Encodes with a given order and layout (0 frame, 1 buckets), so tests reach every path.</summary>
    internal static int EncodeWith(ReadOnlySpan<long> values, Span<byte> destination, int order, int layout) =>
        Write(values, destination, PlanFor(values, order, out _, layout));

    private static int Write(ReadOnlySpan<long> values, Span<byte> destination, Plan best)
    {
        var writer = new ByteWriter(destination);
        writer.WriteByte((byte)(best.Order | (best.Layout << 2)));
        int seeds = SeedCount(best.Order, values.Length);
        for (int i = 0; i < seeds; i++)
        {
            writer.WriteVarInt64(i == 0 ? values[0] : unchecked(values[1] - values[0]));
        }

        if (best.Order == OrderLinear && values.Length > 1)
        {
            writer.WriteVarInt64(best.Slope);
        }

        if (best.Layout == LayoutBuckets)
        {
            WriteBuckets(values, best, ref writer);
        }
        else
        {
            WritePatchedFrame(values, best, ref writer);
        }

        return writer.Position;
    }

    /// <summary>Decodes exactly <c>destination.Length</c> values; the stream must be consumed entirely.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        var reader = new ByteReader(source);
        byte descriptor = reader.ReadByte();
        int order = descriptor & 3;
        int layout = descriptor >> 2;
        if (order > MaxOrder || layout > LayoutBuckets)
        {
            ChunkFormatException.Throw("Unknown integer stream layout.");
        }

        int n = destination.Length;
        int seeds = SeedCount(order, n);
        for (int i = 0; i < seeds; i++)
        {
            destination[i] = reader.ReadVarInt64();
        }

        long slope = order == OrderLinear && n > 1 ? reader.ReadVarInt64() : 0;

        Span<long> residuals = destination[seeds..];
        if (layout == LayoutBuckets)
        {
            ReadBuckets(ref reader, residuals);
        }
        else
        {
            ReadPatchedFrame(ref reader, residuals);
        }

        if (reader.RemainingLength != 0)
        {
            ChunkFormatException.Throw("Trailing bytes after an integer stream.");
        }

        Integrate(destination, order, slope);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Residual(ReadOnlySpan<long> v, int i, int order, long slope) => unchecked(order switch
    {
        0 => v[i],
        1 => v[i] - v[i - 1],
        2 => v[i] - (2 * v[i - 1]) + v[i - 2],
        _ => v[i] - v[0] - (i * slope),
    });

    /// <summary>Values stored before the residuals: the first value, and for order 2 the first delta.</summary>
    private static int SeedCount(int order, int count) => Math.Min(order == OrderLinear ? 1 : order, count);

    private static void Integrate(Span<long> v, int order, long slope)
    {
        unchecked
        {
            if (order == OrderLinear)
            {
                for (int i = 1; i < v.Length; i++)
                {
                    v[i] += v[0] + (i * slope);
                }

                return;
            }

            if (order == 1)
            {
                for (int i = 1; i < v.Length; i++)
                {
                    v[i] += v[i - 1];
                }
            }
            else if (order == 2 && v.Length > 1)
            {
                long delta = v[1];
                v[1] = v[0] + delta;
                for (int i = 2; i < v.Length; i++)
                {
                    delta += v[i];
                    v[i] = v[i - 1] + delta;
                }
            }
        }
    }

    private static void WritePatchedFrame(ReadOnlySpan<long> values, Plan plan, ref ByteWriter writer)
    {
        int order = plan.Order;
        int width = plan.Parameter;
        int start = SeedCount(order, values.Length);
        writer.WriteVarInt64(plan.Base);
        writer.WriteByte((byte)width);
        int exceptions = 0;
        for (int i = start; i < values.Length; i++)
        {
            exceptions += BitWidth(unchecked((ulong)(Residual(values, i, order, plan.Slope) - plan.Base))) > width ? 1 : 0;
        }

        writer.WriteVarUInt64((ulong)exceptions);
        var bits = new BitWriter(writer.Remaining);
        for (int i = start; i < values.Length; i++)
        {
            bits.Write(unchecked((ulong)(Residual(values, i, order, plan.Slope) - plan.Base)), width);
        }

        writer.Advance(bits.Flush());
        int previous = -1;
        for (int i = start; i < values.Length; i++)
        {
            ulong offset = unchecked((ulong)(Residual(values, i, order, plan.Slope) - plan.Base));
            if (BitWidth(offset) > width)
            {
                int index = i - start;
                writer.WriteVarUInt64((ulong)(index - previous - 1));
                writer.WriteVarUInt64(offset >> width);
                previous = index;
            }
        }
    }

    private static void ReadPatchedFrame(ref ByteReader reader, Span<long> residuals)
    {
        long frameBase = reader.ReadVarInt64();
        int width = reader.ReadByte();
        int exceptions = reader.ReadCount(residuals.Length);
        if (width > 64 || (width == 64 && exceptions != 0))
        {
            ChunkFormatException.Throw("Invalid bit width in an integer stream.");
        }

        int packedBytes = (int)((((long)residuals.Length * width) + 7) >> 3);
        var bits = new BitReader(reader.ReadBytes(packedBytes));
        for (int i = 0; i < residuals.Length; i++)
        {
            residuals[i] = (long)bits.Read(width);
        }

        int index = -1;
        for (int e = 0; e < exceptions; e++)
        {
            ulong gap = reader.ReadVarUInt64();
            if (gap >= (ulong)(residuals.Length - index - 1))
            {
                ChunkFormatException.Throw("An exception index is out of range.");
            }

            index += (int)gap + 1;
            ulong high = reader.ReadVarUInt64();
            if (high == 0 || (width > 0 && high >> (64 - width) != 0))
            {
                ChunkFormatException.Throw("An exception value does not fit 64 bits.");
            }

            residuals[index] |= (long)(high << width);
        }

        unchecked
        {
            for (int i = 0; i < residuals.Length; i++)
            {
                residuals[i] += frameBase;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BitWidth(ulong value) => 64 - BitOperations.LeadingZeroCount(value);
}
