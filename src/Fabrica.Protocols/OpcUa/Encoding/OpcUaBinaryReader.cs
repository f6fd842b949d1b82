using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Fabrica.Protocols.OpcUa;

/// <summary>Reads one element of an array: a service structure or a built-in value.</summary>
public delegate T ElementReader<T>(ref OpcUaBinaryReader reader);

/// <summary>
/// Decoder of the OPC UA Binary encoding (OPC 10000-6 §5.2) over one contiguous message body.
/// All integers are little-endian. Every length and count from the wire is checked against
/// <see cref="OpcUaEncodingLimits"/> and against the bytes that remain before anything is allocated, and
/// nesting is counted, so hostile input ends in an <see cref="OpcUaServiceException"/> with bounded memory.
/// </summary>
public ref partial struct OpcUaBinaryReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly OpcUaEncodingLimits _limits;
    private int _position;
    private int _depth;

    public OpcUaBinaryReader(ReadOnlySpan<byte> buffer, OpcUaEncodingLimits? limits = null)
    {
        _buffer = buffer;
        _limits = limits ?? OpcUaEncodingLimits.Default;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly OpcUaEncodingLimits Limits => _limits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _position))
        {
            OpcUaThrow.Truncated();
        }
        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    public void Skip(int count) => Take(count);

    /// <summary>A reader over the next <paramref name="length"/> bytes (an ExtensionObject body), at the current depth.</summary>
    public OpcUaBinaryReader ReadSlice(int length) => new(Take(length), _limits) { _depth = _depth };

    public bool ReadBoolean() => Take(1)[0] != 0;

    public sbyte ReadSByte() => (sbyte)Take(1)[0];

    public byte ReadByte() => Take(1)[0];

    public short ReadInt16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>IEEE 754 single (§5.2.2.3).</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>IEEE 754 double (§5.2.2.3).</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>§5.2.2.5: Int64 of 100 ns since 1601.</summary>
    public DateTime ReadDateTime() => OpcUaDateTime.FromWire(ReadInt64());

    /// <summary>§5.2.2.7: Data1 UInt32, Data2 UInt16, Data3 UInt16 little-endian, Data4 8 bytes as they are — .NET's layout.</summary>
    public Guid ReadGuid() => new(Take(16));

    public StatusCode ReadStatusCode() => new(ReadUInt32());

    /// <summary>§5.2.2.4: Int32 byte length (-1 is null), then UTF-8 without terminator.</summary>
    public string? ReadString() => ReadUtf8(_limits.MaxStringLength, "string length");

    /// <summary>§5.2.2.8: encoded as a String holding the XML text.</summary>
    public string? ReadXmlElement() => ReadUtf8(_limits.MaxStringLength, "XmlElement length");

    /// <summary>§5.2.2.7: Int32 length (-1 is null), then the bytes.</summary>
    public byte[]? ReadByteString()
    {
        var length = ReadLength(_limits.MaxByteStringLength, "ByteString length");
        return length < 0 ? null : Take(length).ToArray();
    }

    /// <summary>A ByteString's bytes without copying them (valid as long as the message buffer).</summary>
    public ReadOnlySpan<byte> ReadByteStringSpan()
    {
        var length = ReadLength(_limits.MaxByteStringLength, "ByteString length");
        return length < 0 ? default : Take(length);
    }

    private string? ReadUtf8(int limit, string what)
    {
        var length = ReadLength(limit, what);
        if (length < 0)
        {
            return null;
        }
        return length == 0 ? string.Empty : StrictUtf8.GetString(Take(length));
    }

    /// <summary>
    /// An Int32 length or count: -1 (and, tolerantly, any negative value) means null; larger than
    /// <paramref name="limit"/> or than the bytes left is an error, found before anything is allocated.
    /// Every encoded element takes at least one byte, so "bytes left" bounds every array.
    /// </summary>
    private int ReadLength(int limit, string what)
    {
        var length = ReadInt32();
        if (length < 0)
        {
            return -1;
        }
        if (length > limit)
        {
            OpcUaThrow.LimitExceeded(what, length, limit);
        }
        if (length > Remaining)
        {
            OpcUaThrow.Decoding($"{what} {length} is larger than the {Remaining} bytes left in the message");
        }
        return length;
    }

    /// <summary>§5.2.5: Int32 count (-1 is null), then the elements. Null and empty both come back as -1/0.</summary>
    public int ReadArrayLength() => ReadLength(_limits.MaxArrayLength, "array length");

    /// <summary>An array of structures or built-ins; a null array comes back empty (services treat them alike).</summary>
    public T[] ReadArray<T>(ElementReader<T> read)
    {
        var length = ReadArrayLength();
        if (length <= 0)
        {
            return [];
        }
        var result = new T[length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = read(ref this);
        }
        return result;
    }

    public uint[] ReadUInt32Array()
    {
        var length = ReadArrayLength();
        if (length <= 0)
        {
            return [];
        }
        if (length > Remaining / 4)
        {
            OpcUaThrow.Truncated();
        }
        var span = Take(length * 4);
        var result = new uint[length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]);
        }
        return result;
    }

    public string?[] ReadStringArray() => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadString());

    public StatusCode[] ReadStatusCodeArray() => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadStatusCode());

    public DiagnosticInfo?[] ReadDiagnosticInfoArray() => ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDiagnosticInfo());

    /// <summary>Called on entering a nested Variant, DataValue or DiagnosticInfo; throws past the depth limit.</summary>
    private void EnterNested()
    {
        if (++_depth > _limits.MaxDepth)
        {
            OpcUaThrow.LimitExceeded("nesting depth", _depth, _limits.MaxDepth);
        }
    }

    private void LeaveNested() => _depth--;
}
