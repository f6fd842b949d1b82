using System.Text;
using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Storage.Blocks;

/// <summary>Little-endian field writer for block indexes and roll-up records.</summary>
internal sealed class BlockBinaryWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public BlockBinaryWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public void Clear() => _buffer.Clear();

    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteDouble(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    public void WriteSample(in Sample sample)
    {
        WriteInt64(sample.Timestamp);
        WriteByte((byte)sample.Quality);
        WriteByte((byte)sample.Value.Kind);
        if (sample.Value.Kind == ValueKind.String)
            WriteString(sample.Value.AsString());
        else
            WriteInt64(sample.Value.RawBits);
    }
}

/// <summary>
/// Bounds-checked reader over block bytes. Every length read from the file is checked against what is left
/// before anything is allocated; malformed input throws <see cref="BlockFormatException"/> and nothing else.
/// </summary>
internal ref struct BlockBinaryReader
{
    private ReadOnlySpan<byte> _data;

    public BlockBinaryReader(ReadOnlySpan<byte> data) => _data = data;

    public readonly int Remaining => _data.Length;

    public byte ReadByte()
    {
        Need(1);
        var value = _data[0];
        _data = _data[1..];
        return value;
    }

    public int ReadInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(_data);
        _data = _data[4..];
        return value;
    }

    public uint ReadUInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_data);
        _data = _data[4..];
        return value;
    }

    public long ReadInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadInt64LittleEndian(_data);
        _data = _data[8..];
        return value;
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadInt64());

    /// <summary>A count of items that each take at least <paramref name="minItemBytes"/>: checked before use.</summary>
    public int ReadCount(int minItemBytes)
    {
        var count = ReadInt32();
        if (count < 0 || (long)count * minItemBytes > _data.Length)
            Throw($"count {count} exceeds the remaining {_data.Length} bytes");
        return count;
    }

    public string ReadString()
    {
        var length = ReadCount(1);
        var value = Encoding.UTF8.GetString(_data[..length]);
        _data = _data[length..];
        return value;
    }

    public Sample ReadSample()
    {
        var timestamp = ReadInt64();
        var quality = ReadByte();
        var kind = (ValueKind)ReadByte();
        SampleValue value = kind switch
        {
            ValueKind.String => SampleValue.FromString(ReadString()),
            ValueKind.Double => SampleValue.FromDouble(BitConverter.Int64BitsToDouble(ReadInt64())),
            ValueKind.Long => SampleValue.FromLong(ReadInt64()),
            ValueKind.Bool => SampleValue.FromBool(ReadInt64() != 0),
            _ => throw new BlockFormatException($"unknown value kind {(byte)kind}"),
        };
        if (quality > (byte)Quality.Bad)
            Throw($"unknown quality {quality}");
        return new Sample(timestamp, value, (Quality)quality);
    }

    private readonly void Need(int bytes)
    {
        if (_data.Length < bytes)
            Throw($"needs {bytes} bytes, {_data.Length} left");
    }

    [DoesNotReturn]
    private static void Throw(string problem) => throw new BlockFormatException(problem);
}
