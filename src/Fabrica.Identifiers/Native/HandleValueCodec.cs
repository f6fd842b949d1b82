using System.Buffers;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Native;

/// <summary>
/// The binary form of one handle value (RFC 3652 §2.2.3 "HandleValue"; field order as CNRI's <c>Encoder.encodeHandleValue</c>):
/// <code>
///   Index Int4 | Timestamp Int4 | TTLType Byte | TTL Int4 | Permission Byte
///   Type UTF8-String | Data Int4 length + bytes | Reference Int4 count × (UTF8-String handle, Int4 index)
/// </code>
/// Used on the wire and, as a whole record, on disk.
/// </summary>
public static class HandleValueCodec
{
    /// <summary>Largest value data accepted (the whole message is bounded by <see cref="HandleMessage.MaxMessageLength"/>).</summary>
    public const int MaxDataLength = 256 * 1024;
    public const int MaxTypeLength = 1024;
    public const int MaxReferences = 1024;

    /// <summary>Bytes of a value before type and data: 4 + 4 + 1 + 4 + 1, then three Int4 lengths/counts.</summary>
    internal const int MinEncodedLength = 14 + 12;

    public static void Write(IBufferWriter<byte> output, HandleValue value)
    {
        var w = new WireWriter(output);
        w.WriteInt32(value.Index);
        w.WriteInt32(unchecked((int)value.Timestamp));
        w.WriteByte((byte)value.TtlType);
        w.WriteInt32(value.Ttl);
        w.WriteByte((byte)value.Permissions);
        w.WriteString(value.Type);
        w.WriteBytes(value.Data.Span);
        var references = value.ReferenceList;
        w.WriteInt32(references.Count);
        foreach (var reference in references)
        {
            w.WriteString(reference.Handle);
            w.WriteInt32(reference.Index);
        }
    }

    public static byte[] Encode(HandleValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + value.Data.Length);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static HandleValue Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new WireReader(encoded);
        var value = Read(ref reader);
        reader.ExpectEnd("handle value");
        return value;
    }

    internal static HandleValue Read(ref WireReader r)
    {
        var index = r.ReadInt32();
        var timestamp = r.ReadUInt32();
        var ttlType = r.ReadByte();
        if (ttlType > 1)
            HandleProtocolException.Throw($"Handle value {index}: unknown TTL type {ttlType}.");
        var ttl = r.ReadInt32();
        var permissions = r.ReadByte();
        if (permissions > 0x0F)
            HandleProtocolException.Throw($"Handle value {index}: permission bits 0x{permissions:x2} beyond the four defined.");
        var type = r.ReadString(MaxTypeLength, "handle value type");
        var data = r.ReadBytes(MaxDataLength, "handle value data").ToArray();
        var referenceCount = r.ReadCount(MaxReferences, 8, "handle value references");
        List<ValueReference>? references = null;
        if (referenceCount > 0)
        {
            references = new List<ValueReference>(referenceCount);
            for (var i = 0; i < referenceCount; i++)
                references.Add(new ValueReference(r.ReadString(HandleName.MaxUtf8Length, "value reference handle"), r.ReadInt32()));
        }
        return new HandleValue(index, type, data, ttl, timestamp, (ValuePermissions)permissions, (TtlType)ttlType, references);
    }

    /// <summary>A value list: Int4 count × value, as in resolution responses and create requests.</summary>
    internal static void WriteList(IBufferWriter<byte> output, IReadOnlyList<HandleValue> values)
    {
        new WireWriter(output).WriteInt32(values.Count);
        foreach (var value in values)
            Write(output, value);
    }

    internal static List<HandleValue> ReadList(ref WireReader r, string what)
    {
        var count = r.ReadCount(HandleRecord.MaxValues, MinEncodedLength, what);
        var values = new List<HandleValue>(count);
        for (var i = 0; i < count; i++)
            values.Add(Read(ref r));
        return values;
    }

    /// <summary>A whole record's values as one blob (what the store keeps on disk).</summary>
    public static byte[] EncodeList(IReadOnlyList<HandleValue> values)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteList(buffer, values);
        return buffer.WrittenSpan.ToArray();
    }

    public static List<HandleValue> DecodeList(ReadOnlySpan<byte> encoded)
    {
        var reader = new WireReader(encoded);
        var values = ReadList(ref reader, "value list");
        reader.ExpectEnd("value list");
        return values;
    }
}
