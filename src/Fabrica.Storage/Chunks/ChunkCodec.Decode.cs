using System.Buffers;

namespace Fabrica.Storage.Chunks;

/// <summary>Reading chunks that come from disk and may be truncated or corrupt.</summary>
internal static partial class ChunkCodec
{
    /// <summary>Reads and checks the header only; the streams are not decoded.</summary>
    public static ChunkHeader ReadHeader(ReadOnlySpan<byte> chunk)
    {
        var reader = new ByteReader(chunk);
        return ReadHeaderFields(ref reader, out _);
    }

    /// <summary>Appends the chunk's samples, oldest first, to <paramref name="destination"/>; all or nothing.</summary>
    /// <exception cref="ChunkFormatException">The chunk is malformed.</exception>
    public static void Decode(ReadOnlySpan<byte> chunk, List<Sample> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var reader = new ByteReader(chunk);
        ChunkHeader header = ReadHeaderFields(ref reader, out bool hasQualities);
        int n = header.Count;
        ReadOnlySpan<byte> timestampStream = reader.ReadSection();
        ReadOnlySpan<byte> valueStream = reader.ReadSection();
        if (!hasQualities && reader.RemainingLength != 0)
        {
            ChunkFormatException.Throw("Trailing bytes after a chunk.");
        }

        long[] timestamps = ArrayPool<long>.Shared.Rent(n);
        long[] values = ArrayPool<long>.Shared.Rent(n);
        int[] symbols = ArrayPool<int>.Shared.Rent(n);
        int[] qualities = ArrayPool<int>.Shared.Rent(n);
        try
        {
            DecodeTimestamps(timestampStream, timestamps.AsSpan(0, n), header);
            string[]? dictionary = null;
            switch (header.Kind)
            {
                case ValueKind.Double:
                    DoubleCodec.Decode(valueStream, values.AsSpan(0, n));
                    break;
                case ValueKind.Long:
                    IntegerCodec.Decode(valueStream, values.AsSpan(0, n));
                    break;
                case ValueKind.Bool:
                    RunLengthCodec.Decode(valueStream, symbols.AsSpan(0, n), maxSymbol: 1);
                    break;
                default:
                    dictionary = StringCodec.Decode(valueStream, symbols.AsSpan(0, n));
                    break;
            }

            if (hasQualities)
            {
                RunLengthCodec.Decode(reader.Remaining, qualities.AsSpan(0, n), maxSymbol: byte.MaxValue);
            }
            else
            {
                qualities.AsSpan(0, n).Clear();
            }

            destination.EnsureCapacity(destination.Count + n);
            for (int i = 0; i < n; i++)
            {
                SampleValue value = header.Kind switch
                {
                    ValueKind.Double => SampleValue.FromDouble(BitConverter.Int64BitsToDouble(values[i])),
                    ValueKind.Long => SampleValue.FromLong(values[i]),
                    ValueKind.Bool => SampleValue.FromBool(symbols[i] != 0),
                    _ => SampleValue.FromString(dictionary![symbols[i]]),
                };
                destination.Add(new Sample(timestamps[i], value, (Quality)qualities[i]));
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(timestamps);
            ArrayPool<long>.Shared.Return(values);
            ArrayPool<int>.Shared.Return(symbols);
            ArrayPool<int>.Shared.Return(qualities);
        }
    }

    private static ChunkHeader ReadHeaderFields(ref ByteReader reader, out bool hasQualities)
    {
        if (reader.ReadByte() != FormatVersion)
        {
            ChunkFormatException.Throw("Unknown chunk format version.");
        }

        var kind = (ValueKind)reader.ReadByte();
        if (kind is < ValueKind.Double or > ValueKind.String)
        {
            ChunkFormatException.Throw("Unknown value kind in a chunk.");
        }

        byte flags = reader.ReadByte();
        if ((flags & ~FlagQualities) != 0)
        {
            ChunkFormatException.Throw("Unknown chunk flags.");
        }

        int count = reader.ReadCount(MaxSamples);
        long min = reader.ReadInt64();
        ulong span = reader.ReadVarUInt64();
        // n strictly increasing timestamps span at least n - 1 ms, and the maximum must not pass long.MaxValue.
        bool spanFits = span <= unchecked((ulong)long.MaxValue - (ulong)min);
        if (count == 0 || !spanFits || (count == 1 ? span != 0 : span < (ulong)(count - 1)))
        {
            ChunkFormatException.Throw("Inconsistent chunk count or time range.");
        }

        hasQualities = flags != 0;
        return new ChunkHeader(kind, count, min, unchecked(min + (long)span));
    }

    private static void DecodeTimestamps(ReadOnlySpan<byte> stream, Span<long> timestamps, ChunkHeader header)
    {
        IntegerCodec.Decode(stream, timestamps);
        if (timestamps[0] != 0)
        {
            ChunkFormatException.Throw("The first timestamp differs from the header's minimum.");
        }

        long previous = header.MinTimestamp;
        timestamps[0] = previous;
        for (int i = 1; i < timestamps.Length; i++)
        {
            long t = unchecked(header.MinTimestamp + timestamps[i]);
            if (t <= previous)
            {
                ChunkFormatException.Throw("Timestamps in a chunk do not increase.");
            }

            timestamps[i] = previous = t;
        }

        if (previous != header.MaxTimestamp)
        {
            ChunkFormatException.Throw("The last timestamp differs from the header's maximum.");
        }
    }
}
