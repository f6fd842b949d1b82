using System.Buffers.Binary;

namespace Fabrica.Storage.Chunks;

/// <summary>
/// Reads byte-aligned chunk fields. Every read checks the bytes left first, and counts are checked against
/// the caller's limit before anything is allocated from them (Kestrel, Garnet: never trust a length).
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _source;

    public ByteReader(ReadOnlySpan<byte> source)
    {
        _source = source;
    }

    public int Position { get; private set; }

    public readonly int RemainingLength => _source.Length - Position;

    public readonly ReadOnlySpan<byte> Remaining => _source[Position..];

    public byte ReadByte()
    {
        if (Position >= _source.Length)
        {
            ChunkFormatException.Throw("A chunk ends inside a field.");
        }

        return _source[Position++];
    }

    public long ReadInt64()
    {
        return BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)RemainingLength)
        {
            ChunkFormatException.Throw("A chunk ends inside a field.");
        }

        ReadOnlySpan<byte> bytes = _source.Slice(Position, count);
        Position += count;
        return bytes;
    }

    public ulong ReadVarUInt64()
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            // The tenth byte may only carry the top bit of a 64-bit value.
            if (shift == 63 && b > 1)
            {
                ChunkFormatException.Throw("A varint overflows 64 bits.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        ChunkFormatException.Throw("A varint overflows 64 bits.");
        return 0;
    }

    public long ReadVarInt64() => ZigZag.Decode(ReadVarUInt64());

    /// <summary>Reads a count or length and rejects it unless it is at most <paramref name="max"/>.</summary>
    public int ReadCount(int max)
    {
        ulong value = ReadVarUInt64();
        if (value > (ulong)max)
        {
            ChunkFormatException.Throw("A count or length exceeds its limit.");
        }

        return (int)value;
    }

    /// <summary>Reads a length-prefixed nested stream.</summary>
    public ReadOnlySpan<byte> ReadSection() => ReadBytes(ReadCount(RemainingLength));
}
