using System.Buffers.Binary;
using System.Text;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// Reads the primitive types of RFC 3652 §2.1 from one complete, contiguous message body: big-endian Int2/Int4/Int8,
/// UTF8-Strings and byte arrays prefixed by an Int4 length. Every length is checked against what is left and against
/// a limit before anything is allocated; running short of bytes here is malformed data (the frame said it was whole).
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public WireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Remaining => _buffer.Length - _position;

    public readonly int Position => _position;

    public readonly bool End => _position == _buffer.Length;

    public byte ReadByte()
    {
        Need(1);
        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer[_position..]);
        _position += 2;
        return value;
    }

    public int ReadInt32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadInt32BigEndian(_buffer[_position..]);
        _position += 4;
        return value;
    }

    public uint ReadUInt32() => unchecked((uint)ReadInt32());

    public long ReadInt64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadInt64BigEndian(_buffer[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>An Int4 count of items, each at least <paramref name="minItemBytes"/> long, at most <paramref name="max"/>.</summary>
    public int ReadCount(int max, int minItemBytes, string what)
    {
        var count = ReadInt32();
        if (count < 0 || count > max)
            HandleProtocolException.Throw($"{what}: count {count} is outside 0..{max}.");
        if ((long)count * minItemBytes > Remaining)
            HandleProtocolException.Throw($"{what}: {count} items cannot fit in the {Remaining} bytes left.");
        return count;
    }

    /// <summary>Int4 length then that many bytes, as a slice of the input (no copy).</summary>
    public ReadOnlySpan<byte> ReadBytes(int maxLength, string what)
    {
        var length = ReadInt32();
        if (length < 0 || length > maxLength)
            HandleProtocolException.Throw($"{what}: length {length} is outside 0..{maxLength}.");
        Need(length);
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    public ReadOnlySpan<byte> ReadFixed(int length)
    {
        Need(length);
        var slice = _buffer.Slice(_position, length);
        _position += length;
        return slice;
    }

    /// <summary>RFC 3652 UTF8-String: Int4 byte length then UTF-8 bytes; invalid UTF-8 is malformed.</summary>
    public string ReadString(int maxLength, string what)
    {
        var bytes = ReadBytes(maxLength, what);
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new HandleProtocolException($"{what}: not valid UTF-8.", e);
        }
    }

    public readonly void ExpectEnd(string what)
    {
        if (!End)
            HandleProtocolException.Throw($"{what}: {Remaining} bytes left over.");
    }

    private readonly void Need(int count)
    {
        if (count > _buffer.Length - _position)
            HandleProtocolException.Throw($"Truncated: {count} bytes needed, {_buffer.Length - _position} left.");
    }

    public static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
