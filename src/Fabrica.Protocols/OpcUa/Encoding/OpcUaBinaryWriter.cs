using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Fabrica.Protocols.OpcUa;

/// <summary>Writes one element of an array.</summary>
public delegate void ElementWriter<in T>(OpcUaBinaryWriter writer, T value);

/// <summary>
/// Encoder of the OPC UA Binary encoding (OPC 10000-6 §5.2) into a growable buffer rented from
/// <see cref="ArrayPool{T}"/>. Dispose returns the buffer. <see cref="Reset"/> reuses it for the next message.
/// </summary>
public sealed partial class OpcUaBinaryWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public OpcUaBinaryWriter(int initialCapacity = 4096)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public void Reset() => _position = 0;

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reserves <paramref name="count"/> bytes and returns them for the caller to fill.</summary>
    public Span<byte> Allocate(int count)
    {
        if (_buffer.Length - _position < count)
        {
            Grow(count);
        }
        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private void Grow(int count)
    {
        var needed = (long)_position + count;
        if (needed > Array.MaxLength)
        {
            OpcUaThrow.Encoding("message too large to encode");
        }
        var next = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, _buffer.Length * 2L), Array.MaxLength));
        _buffer.AsSpan(0, _position).CopyTo(next);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = next;
    }

    /// <summary>Overwrites an Int32 written earlier (a length known only after its content).</summary>
    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Allocate(bytes.Length));

    public void WriteBoolean(bool value) => Allocate(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteSByte(sbyte value) => Allocate(1)[0] = (byte)value;

    public void WriteByte(byte value) => Allocate(1)[0] = value;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16LittleEndian(Allocate(2), value);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Allocate(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Allocate(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Allocate(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Allocate(8), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Allocate(8), value);

    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Allocate(4), value);

    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Allocate(8), value);

    public void WriteDateTime(DateTime value) => WriteInt64(OpcUaDateTime.ToWire(value));

    public void WriteGuid(Guid value)
    {
        if (!value.TryWriteBytes(Allocate(16)))
        {
            OpcUaThrow.Encoding("GUID");
        }
    }

    public void WriteStatusCode(StatusCode value) => WriteUInt32(value.Code);

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        Encoding.UTF8.GetBytes(value, Allocate(length));
    }

    public void WriteXmlElement(string? value) => WriteString(value);

    public void WriteByteString(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteBytes(value);
    }

    public void WriteByteString(byte[]? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }
        WriteByteString(value.AsSpan());
    }

    public void WriteArray<T>(IReadOnlyList<T>? values, ElementWriter<T> write)
    {
        if (values is null)
        {
            WriteInt32(-1);
            return;
        }
        WriteInt32(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            write(this, values[i]);
        }
    }

    public void WriteStringArray(IReadOnlyList<string?>? values) => WriteArray(values, static (w, v) => w.WriteString(v));

    public void WriteUInt32Array(IReadOnlyList<uint>? values) => WriteArray(values, static (w, v) => w.WriteUInt32(v));

    public void WriteStatusCodeArray(IReadOnlyList<StatusCode>? values) => WriteArray(values, static (w, v) => w.WriteStatusCode(v));
}
