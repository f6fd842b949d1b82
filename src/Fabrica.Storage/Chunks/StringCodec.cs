using System.Text;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Strings: a per-chunk dictionary of distinct values in UTF-8, then run lengths of dictionary indices.
/// String series in plants are states and messages ("RUNNING", "E-STOP") that repeat for long stretches.
/// <code>
/// stream := entries:varint (length:varint utf8:bytes[length]){entries} indices:RunLengthCodec
/// </code>
/// Strings must be well-formed UTF-16: a lone surrogate has no UTF-8 form and would not round-trip, so
/// the encoder rejects it instead of silently replacing it.
/// </summary>
internal static class StringCodec
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Collects distinct strings in order of first use and maps each sample to its entry.</summary>
    public static List<string> BuildDictionary(ReadOnlySpan<Sample> samples, Span<int> indices, out long maxEncodedLength)
    {
        var entries = new List<string>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        maxEncodedLength = 5L + RunLengthCodec.MaxEncodedLength(samples.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            string text = samples[i].Value.AsString();
            if (!positions.TryGetValue(text, out int index))
            {
                index = entries.Count;
                positions.Add(text, index);
                entries.Add(text);
                maxEncodedLength += 5L + Utf8Length(text);
            }

            indices[i] = index;
        }

        return entries;
    }

    public static int Encode(List<string> dictionary, ReadOnlySpan<int> indices, Span<byte> destination)
    {
        var writer = new ByteWriter(destination);
        writer.WriteVarUInt64((ulong)dictionary.Count);
        foreach (string text in dictionary)
        {
            int length = StrictUtf8.GetByteCount(text);
            writer.WriteVarUInt64((ulong)length);
            writer.Advance(StrictUtf8.GetBytes(text, writer.Remaining));
        }

        writer.Advance(RunLengthCodec.Encode(indices, writer.Remaining));
        return writer.Position;
    }

    /// <summary>Returns the dictionary and fills <paramref name="indices"/> with one entry index per sample.</summary>
    public static string[] Decode(ReadOnlySpan<byte> source, Span<int> indices)
    {
        var reader = new ByteReader(source);
        // Every entry takes at least its length byte, so the bytes left bound the count before allocating.
        int count = reader.ReadCount(Math.Min(indices.Length, reader.RemainingLength));
        if (count == 0)
        {
            ChunkFormatException.Throw("A string chunk has an empty dictionary.");
        }

        var dictionary = new string[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> utf8 = reader.ReadBytes(reader.ReadCount(reader.RemainingLength));
            try
            {
                dictionary[i] = StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException exception)
            {
                throw new ChunkFormatException("A dictionary entry is not valid UTF-8.", exception);
            }
        }

        RunLengthCodec.Decode(reader.Remaining, indices, count - 1);
        return dictionary;
    }

    private static int Utf8Length(string text)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException("A string sample is not well-formed UTF-16 (lone surrogate).", nameof(text), exception);
        }
    }
}
