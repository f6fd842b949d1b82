using System.Buffers.Binary;

namespace Fabrica.Storage.Chunks;

/// <summary>Byte-aligned fields of a chunk: fixed little-endian integers and LEB128 varints.</summary>
internal ref struct ByteWriter
{
    private readonly Span<byte> _destination;

    public ByteWriter(Span<byte> destination)
    {
        _destination = destination;
    }

    public int Position { get; private set; }

    /// <summary>The unwritten rest, for a nested stream or bit writer; advance with <see cref="Advance"/>.</summary>
    public readonly Span<byte> Remaining => _destination[Position..];

    public void Advance(int count) => Position += count;

    public void WriteByte(byte value) => _destination[Position++] = value;

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[Position..], value);
        Position += 8;
    }

    public void WriteVarUInt64(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[Position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _destination[Position++] = (byte)value;
    }

    public void WriteVarInt64(long value) => WriteVarUInt64(ZigZag.Encode(value));

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_destination[Position..]);
        Position += bytes.Length;
    }

    public static int VarUInt64Length(ulong value) => value == 0 ? 1 : (70 - System.Numerics.BitOperations.LeadingZeroCount(value)) / 7;
}

/// <summary>
/// Zigzag maps signed to unsigned so that small magnitudes of either sign get short codes
/// (Protocol Buffers encoding guide, "Signed Integers").
/// </summary>
internal static class ZigZag
{
    public static ulong Encode(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long Decode(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
