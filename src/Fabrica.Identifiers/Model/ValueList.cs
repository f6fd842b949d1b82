using System.Buffers;
using Fabrica.Identifiers.Native;

namespace Fabrica.Identifiers.Model;

/// <summary>HS_VLIST data (RFC 3651 §3.2.3): a list of value references, Int4 count × (UTF8-String handle, Int4 index).</summary>
public static class ValueList
{
    public const int MaxEntries = 4096;

    public static byte[] Encode(IReadOnlyList<ValueReference> references)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new WireWriter(buffer);
        w.WriteInt32(references.Count);
        foreach (var reference in references)
        {
            w.WriteString(reference.Handle);
            w.WriteInt32(reference.Index);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static IReadOnlyList<ValueReference> Decode(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        var count = r.ReadCount(MaxEntries, 8, "HS_VLIST");
        var list = new List<ValueReference>(count);
        for (var i = 0; i < count; i++)
            list.Add(new ValueReference(r.ReadString(HandleName.MaxUtf8Length, "HS_VLIST handle"), r.ReadInt32()));
        r.ExpectEnd("HS_VLIST");
        return list;
    }
}
