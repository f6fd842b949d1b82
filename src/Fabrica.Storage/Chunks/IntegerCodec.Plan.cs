namespace Fabrica.Storage.Chunks;

/// <summary>Choosing the cheapest order and layout from exact bit costs, without encoding every candidate.</summary>
internal static partial class IntegerCodec
{
    private const int MaxBucketWidth = 23;

    private readonly record struct Plan(int Order, int Layout, int Parameter, long Base, long Slope);

    /// <summary>
    /// One pass collects the bit-width histograms of the zigzagged residuals (for buckets) and of the
    /// offsets from the minimum (for the frame); every width is then costed from the histograms alone.
    /// </summary>
    private static Plan PlanFor(ReadOnlySpan<long> values, int order, out long cost, int forcedLayout = -1)
    {
        int start = SeedCount(order, values.Length);
        int m = values.Length - start;
        // Order 3 predicts a straight line through the first and last value: a sampling grid with jitter
        // leaves only the jitter (a delta would carry the jitter of two samples).
        long slope = order == OrderLinear && values.Length > 1
            ? unchecked((long)(((Int128)values[^1] - values[0]) / (values.Length - 1)))
            : 0;
        long min = long.MaxValue;
        Span<int> zigzagWidths = stackalloc int[65];
        zigzagWidths.Clear();
        for (int i = start; i < values.Length; i++)
        {
            long r = Residual(values, i, order, slope);
            min = Math.Min(min, r);
            zigzagWidths[BitWidth(ZigZag.Encode(r))]++;
        }

        if (m == 0)
        {
            min = 0;
        }

        Span<int> offsetWidths = stackalloc int[65];
        offsetWidths.Clear();
        for (int i = start; i < values.Length; i++)
        {
            offsetWidths[BitWidth(unchecked((ulong)(Residual(values, i, order, slope) - min)))]++;
        }

        long seedBits = 0;
        for (int i = 0; i < start; i++)
        {
            seedBits += 8L * ByteWriter.VarUInt64Length(ZigZag.Encode(i == 0 ? values[0] : unchecked(values[1] - values[0])));
        }

        seedBits += order == OrderLinear && values.Length > 1 ? 8L * ByteWriter.VarUInt64Length(ZigZag.Encode(slope)) : 0;

        (int width, long frameBits) = CheapestFrame(offsetWidths, m);
        frameBits += 8L * (ByteWriter.VarUInt64Length(ZigZag.Encode(min)) + 1);
        (int k, long bucketBits) = CheapestBuckets(zigzagWidths);
        bucketBits += 8;

        if (forcedLayout == LayoutBuckets || (forcedLayout < 0 && bucketBits < frameBits))
        {
            cost = seedBits + bucketBits;
            return new Plan(order, LayoutBuckets, k, 0, slope);
        }

        cost = seedBits + frameBits;
        return new Plan(order, LayoutPatchedFrame, width, min, slope);
    }

    private static (int Width, long Bits) CheapestFrame(ReadOnlySpan<int> widths, int m)
    {
        int top = 64;
        while (top > 0 && widths[top] == 0)
        {
            top--;
        }

        int bestWidth = top;
        long best = ((long)m * top) + 8;
        for (int w = top - 1; w >= 0; w--)
        {
            long bits = (long)m * w;
            int exceptions = 0;
            for (int b = w + 1; b <= top; b++)
            {
                // A patch costs its index gap (usually one byte) and the high bits as a varint.
                bits += widths[b] * 8L * (1 + ((b - w + 6) / 7));
                exceptions += widths[b];
            }

            bits += 8L * ByteWriter.VarUInt64Length((ulong)exceptions);
            if (bits < best)
            {
                best = bits;
                bestWidth = w;
            }
        }

        return (bestWidth, best);
    }

    private static (int K, long Bits) CheapestBuckets(ReadOnlySpan<int> widths)
    {
        int bestK = 1;
        long best = long.MaxValue;
        for (int k = 1; k <= MaxBucketWidth; k++)
        {
            long bits = widths[0];
            for (int b = 1; b <= 64; b++)
            {
                int cost = b <= k ? 2 + k : b <= 24 ? 3 + 24 : b <= 40 ? 4 + 40 : 4 + 64;
                bits += (long)widths[b] * cost;
            }

            if (bits < best)
            {
                best = bits;
                bestK = k;
            }
        }

        return (bestK, best);
    }
}
