using System.Buffers;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Encodes up to 65535 samples of one series and one value kind into a self-describing chunk, the unit the
/// head and the block files store (ARCHITECTURE.md §5; Gorilla, VLDB 2015 §4.1).
/// </summary>
/// <remarks>
/// <code>
/// chunk     := version:u8 (1) kind:u8 flags:u8 count:varint min:i64le span:varint
///              timestamps:section values:section [qualities]
/// section   := length:varint bytes[length]
/// flags     := bit 0: a quality stream follows (absent when every sample is Good); bits 1-7: zero
/// timestamps:= IntegerCodec over (t - min), wrapping: deltas and deltas of deltas, PFOR or Gorilla buckets
/// values    := DoubleCodec | IntegerCodec | RunLengthCodec (bools) | StringCodec, each naming its method
/// qualities := RunLengthCodec of quality bytes
/// </code>
/// The header alone answers "which kind, how many, which time range" for <see cref="ReadHeader"/>, so a
/// query can skip a chunk without touching its streams. Each stream starts with its own method byte, so a
/// new method is a new byte value, not a new chunk version.
/// </remarks>
internal static partial class ChunkCodec
{
    public const int MaxSamples = ushort.MaxValue;
    private const byte FormatVersion = 1;
    private const byte FlagQualities = 1;
    private const int SectionLengthReserve = 5;

    /// <summary>
    /// Encodes <paramref name="samples"/>: strictly increasing timestamps, one value kind, 1..65535 samples.
    /// </summary>
    /// <exception cref="ArgumentException">The samples break one of those rules, or a string is not valid UTF-16.</exception>
    public static byte[] Encode(ReadOnlySpan<Sample> samples)
    {
        ValueKind kind = Validate(samples);
        int n = samples.Length;
        long[] ints = ArrayPool<long>.Shared.Rent(n);
        long[] scratch = ArrayPool<long>.Shared.Rent(n);
        int[] symbols = ArrayPool<int>.Shared.Rent(n);
        List<string>? dictionary = null;
        long valueBound = kind switch
        {
            ValueKind.Double => DoubleCodec.MaxEncodedLength(n),
            ValueKind.Long => IntegerCodec.MaxEncodedLength(n),
            ValueKind.Bool => RunLengthCodec.MaxEncodedLength(n),
            _ => 0,
        };
        if (kind == ValueKind.String)
        {
            dictionary = StringCodec.BuildDictionary(samples, symbols, out valueBound);
        }

        long bound = 64L + IntegerCodec.MaxEncodedLength(n) + valueBound + RunLengthCodec.MaxEncodedLength(n);
        if (bound > Array.MaxLength)
        {
            throw new ArgumentException("The samples' strings are too long for one chunk.", nameof(samples));
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)bound);
        try
        {
            long min = samples[0].Timestamp;
            bool allGood = true;
            foreach (ref readonly Sample sample in samples)
            {
                allGood &= sample.Quality == Quality.Good;
            }

            var writer = new ByteWriter(buffer);
            writer.WriteByte(FormatVersion);
            writer.WriteByte((byte)kind);
            writer.WriteByte(allGood ? (byte)0 : FlagQualities);
            writer.WriteVarUInt64((ulong)n);
            writer.WriteInt64(min);
            writer.WriteVarUInt64(unchecked((ulong)(samples[n - 1].Timestamp - min)));

            Span<long> values = ints.AsSpan(0, n);
            for (int i = 0; i < n; i++)
            {
                values[i] = unchecked(samples[i].Timestamp - min);
            }

            WriteSection(ref writer, IntegerCodec.Encode(values, writer.Remaining[SectionLengthReserve..]));
            int valueLength = kind switch
            {
                ValueKind.String => StringCodec.Encode(dictionary!, symbols.AsSpan(0, n), writer.Remaining[SectionLengthReserve..]),
                ValueKind.Bool => RunLengthCodec.Encode(CopySymbols(samples, symbols, static s => (int)s.Value.RawBits), writer.Remaining[SectionLengthReserve..]),
                _ => EncodeNumbers(samples, kind, values, scratch, writer.Remaining[SectionLengthReserve..]),
            };
            WriteSection(ref writer, valueLength);
            if (!allGood)
            {
                writer.Advance(RunLengthCodec.Encode(CopySymbols(samples, symbols, static s => (int)s.Quality), writer.Remaining));
            }

            return buffer.AsSpan(0, writer.Position).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<long>.Shared.Return(ints);
            ArrayPool<long>.Shared.Return(scratch);
            ArrayPool<int>.Shared.Return(symbols);
        }
    }

    private static int EncodeNumbers(ReadOnlySpan<Sample> samples, ValueKind kind, Span<long> values, Span<long> scratch, Span<byte> destination)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            values[i] = samples[i].Value.RawBits;
        }

        return kind == ValueKind.Double
            ? DoubleCodec.Encode(values, destination, scratch)
            : IntegerCodec.Encode(values, destination);
    }

    private static Span<int> CopySymbols(ReadOnlySpan<Sample> samples, int[] symbols, Func<Sample, int> symbol)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            symbols[i] = symbol(samples[i]);
        }

        return symbols.AsSpan(0, samples.Length);
    }

    /// <summary>The stream was written after a reserved gap; put its length in front and close the gap.</summary>
    private static void WriteSection(ref ByteWriter writer, int length)
    {
        Span<byte> remaining = writer.Remaining;
        int prefix = ByteWriter.VarUInt64Length((ulong)length);
        remaining.Slice(SectionLengthReserve, length).CopyTo(remaining[prefix..]);
        writer.WriteVarUInt64((ulong)length);
        writer.Advance(length);
    }

    private static ValueKind Validate(ReadOnlySpan<Sample> samples)
    {
        if (samples.IsEmpty || samples.Length > MaxSamples)
        {
            throw new ArgumentException($"A chunk holds 1 to {MaxSamples} samples, not {samples.Length}.", nameof(samples));
        }

        ValueKind kind = samples[0].Value.Kind;
        if (kind is < ValueKind.Double or > ValueKind.String)
        {
            throw new ArgumentException($"Unknown value kind {kind}.", nameof(samples));
        }

        for (int i = 0; i < samples.Length; i++)
        {
            if (samples[i].Value.Kind != kind)
            {
                throw new ArgumentException($"Sample {i} is {samples[i].Value.Kind}; a chunk holds one kind ({kind}).", nameof(samples));
            }

            if (i > 0 && samples[i].Timestamp <= samples[i - 1].Timestamp)
            {
                throw new ArgumentException($"Timestamps must increase strictly (sample {i}).", nameof(samples));
            }
        }

        return kind;
    }
}
