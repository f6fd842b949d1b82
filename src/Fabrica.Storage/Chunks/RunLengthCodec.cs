namespace Fabrica.Storage.Chunks;

/// <summary>
/// Runs of small symbols: bools, qualities and string-dictionary indices change rarely within a chunk, so
/// a (symbol, length) pair per run beats any per-sample code.
/// <code>
/// stream := runs:varint (symbol:varint length:varint){runs}
/// </code>
/// </summary>
internal static class RunLengthCodec
{
    public static int MaxEncodedLength(int count) => 5 + (count * 8);

    public static int Encode(ReadOnlySpan<int> symbols, Span<byte> destination)
    {
        int runs = 0;
        for (int i = 0; i < symbols.Length; i++)
        {
            runs += i == 0 || symbols[i] != symbols[i - 1] ? 1 : 0;
        }

        var writer = new ByteWriter(destination);
        writer.WriteVarUInt64((ulong)runs);
        int start = 0;
        for (int i = 1; i <= symbols.Length; i++)
        {
            if (i == symbols.Length || symbols[i] != symbols[start])
            {
                writer.WriteVarUInt64((ulong)symbols[start]);
                writer.WriteVarUInt64((ulong)(i - start));
                start = i;
            }
        }

        return writer.Position;
    }

    /// <summary>Fills <paramref name="destination"/> exactly; every symbol must be at most <paramref name="maxSymbol"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<int> destination, int maxSymbol)
    {
        var reader = new ByteReader(source);
        int runs = reader.ReadCount(destination.Length);
        int position = 0;
        for (int r = 0; r < runs; r++)
        {
            int symbol = reader.ReadCount(maxSymbol);
            int length = reader.ReadCount(destination.Length - position);
            if (length == 0)
            {
                ChunkFormatException.Throw("A run is empty.");
            }

            destination.Slice(position, length).Fill(symbol);
            position += length;
        }

        if (position != destination.Length || reader.RemainingLength != 0)
        {
            ChunkFormatException.Throw("Runs do not cover the chunk exactly.");
        }
    }
}
