namespace Fabrica.Storage.Chunks;

/// <summary>
/// Stores doubles that are short decimals as integers, in the spirit of ALP (Afroozeh, Kuffó, Boncz,
/// SIGMOD 2024 §3): a sensor reporting 21.37 holds the double nearest to 2137/100, so the chunk keeps 2137
/// and one exponent, and the integers go through <see cref="IntegerCodec"/> (deltas, frame of reference).
/// </summary>
/// <remarks>
/// Lossless by construction: a value is stored as an integer only if <c>(double)n / 10^e</c> reproduces
/// its exact bit pattern, which is the very expression the decoder evaluates (IEEE division is correctly
/// rounded and 10^0..10^18 are exact doubles, so the result is the same on every machine). Values that
/// fail (NaN, ±Inf, -0.0, too many digits) are exceptions stored verbatim, as ALP's exceptions are.
/// Unlike ALP we divide instead of multiplying by 10^-e: one exact operation keeps the proof simple, and
/// a division still decodes well above the 20 M values/s we aim for.
/// <code>
/// stream := exponent:u8 (0..18) exceptions:varint (gap:varint bits:u64le){exceptions} integers:IntegerCodec
/// </code>
/// </remarks>
internal static class DecimalCodec
{
    private const int MaxExponent = 18;
    private const int ProbeCount = 32;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    ];

    public static int MaxEncodedLength(int count) => 16 + (count * 11) + IntegerCodec.MaxEncodedLength(count);

    /// <summary>
    /// Encodes <paramref name="bits"/> (double bit patterns) and returns the bytes written, or -1 when the
    /// values are not decimal enough to be worth trying. <paramref name="scratch"/> holds one long per value.
    /// </summary>
    public static int Encode(ReadOnlySpan<long> bits, Span<byte> destination, Span<long> scratch)
    {
        int exponent = ChooseExponent(bits);
        if (exponent < 0)
        {
            return -1;
        }

        double power = PowersOfTen[exponent];
        int exceptions = 0;
        long fill = 0;
        bool filled = false;
        for (int i = 0; i < bits.Length; i++)
        {
            if (TryScale(bits[i], power, out long n))
            {
                if (!filled)
                {
                    // Exceptions before the first decimal borrow its integer, so they add no delta.
                    scratch[..i].Fill(n);
                    filled = true;
                }

                scratch[i] = fill = n;
            }
            else
            {
                scratch[i] = fill;
                exceptions++;
            }
        }

        var writer = new ByteWriter(destination);
        writer.WriteByte((byte)exponent);
        writer.WriteVarUInt64((ulong)exceptions);
        int previous = -1;
        for (int i = 0; i < bits.Length && exceptions > 0; i++)
        {
            if (!TryScale(bits[i], power, out _))
            {
                writer.WriteVarUInt64((ulong)(i - previous - 1));
                writer.WriteInt64(bits[i]);
                previous = i;
            }
        }

        writer.Advance(IntegerCodec.Encode(scratch[..bits.Length], writer.Remaining));
        return writer.Position;
    }

    public static void Decode(ReadOnlySpan<byte> source, Span<long> destination)
    {
        var reader = new ByteReader(source);
        int exponent = reader.ReadByte();
        if (exponent > MaxExponent)
        {
            ChunkFormatException.Throw("Decimal exponent out of range.");
        }

        int exceptions = reader.ReadCount(destination.Length);
        int exceptionsStart = reader.Position;
        for (int e = 0; e < exceptions; e++)
        {
            reader.ReadVarUInt64();
            reader.ReadInt64();
        }

        ReadOnlySpan<byte> patches = source[exceptionsStart..reader.Position];
        IntegerCodec.Decode(reader.Remaining, destination);
        double power = PowersOfTen[exponent];
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BitConverter.DoubleToInt64Bits(destination[i] / power);
        }

        var patchReader = new ByteReader(patches);
        int index = -1;
        for (int e = 0; e < exceptions; e++)
        {
            ulong gap = patchReader.ReadVarUInt64();
            if (gap >= (ulong)(destination.Length - index - 1))
            {
                ChunkFormatException.Throw("A decimal exception index is out of range.");
            }

            index += (int)gap + 1;
            destination[index] = patchReader.ReadInt64();
        }
    }

    /// <summary>
    /// The smallest exponent that leaves at most one value in sixteen as an exception: each exception costs
    /// about 72 bits, each extra decimal digit about 3.3 bits on every value. A probe of the first values
    /// gives up early on data that is not decimal (random bits, measurements with 17 significant digits).
    /// </summary>
    private static int ChooseExponent(ReadOnlySpan<long> bits)
    {
        Span<int> histogram = stackalloc int[MaxExponent + 2]; // last slot: no exponent fits
        histogram.Clear();
        for (int i = 0; i < bits.Length; i++)
        {
            int e = MinimalExponent(bits[i]);
            histogram[e < 0 ? MaxExponent + 1 : e]++;
            if (i == ProbeCount - 1 && histogram[MaxExponent + 1] > ProbeCount / 2)
            {
                return -1;
            }
        }

        int allowed = bits.Length / 16;
        int covered = 0;
        for (int e = 0; e <= MaxExponent; e++)
        {
            covered += histogram[e];
            if (bits.Length - covered <= allowed)
            {
                return e;
            }
        }

        return histogram[MaxExponent + 1] * 2 > bits.Length ? -1 : MaxExponent;
    }

    private static int MinimalExponent(long bits)
    {
        for (int e = 0; e <= MaxExponent; e++)
        {
            if (TryScale(bits, PowersOfTen[e], out _))
            {
                return e;
            }
        }

        return -1;
    }

    private static bool TryScale(long bits, double power, out long n)
    {
        double value = BitConverter.Int64BitsToDouble(bits);
        double scaled = Math.Round(value * power);
        // NaN fails the comparison; the bound keeps the conversion to long exact and in range.
        if (!(Math.Abs(scaled) < 9.2e18))
        {
            n = 0;
            return false;
        }

        n = (long)scaled;
        return BitConverter.DoubleToInt64Bits(n / power) == bits;
    }
}
