using System.Buffers;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.Native;

/// <summary>Resolution request body (RFC 3652 §3.2.1): handle, Int4 count × index, Int4 count × type.</summary>
public sealed record ResolutionRequest(string Handle, IReadOnlyList<int> Indexes, IReadOnlyList<string> Types);

/// <summary>Resolution response and referral body (RFC 3652 §3.2.2; CNRI <c>encodeResolutionResponse</c> / <c>encodeServiceReferralResponse</c>): handle, value list.</summary>
public sealed record HandleValuesBody(string Handle, IReadOnlyList<HandleValue> Values);

/// <summary>Remove-value request body (RFC 3652 §3.8): handle, Int4 count × index.</summary>
public sealed record RemoveValuesRequest(string Handle, IReadOnlyList<int> Indexes);

/// <summary>Reads and writes the body of each operation. Every count and length is bounded before allocation.</summary>
public static class MessageBodies
{
    public const int MaxRequestedItems = 1024;

    public static byte[] WriteResolutionRequest(ResolutionRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new WireWriter(buffer);
        w.WriteString(request.Handle);
        w.WriteInt32(request.Indexes.Count);
        foreach (var index in request.Indexes)
            w.WriteInt32(index);
        w.WriteInt32(request.Types.Count);
        foreach (var type in request.Types)
            w.WriteString(type);
        return buffer.WrittenSpan.ToArray();
    }

    public static ResolutionRequest ReadResolutionRequest(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var handle = r.ReadString(HandleName.MaxUtf8Length, "handle");
        var indexCount = r.ReadCount(MaxRequestedItems, 4, "requested indexes");
        var indexes = new int[indexCount];
        for (var i = 0; i < indexCount; i++)
            indexes[i] = r.ReadInt32();
        var typeCount = r.ReadCount(MaxRequestedItems, 4, "requested types");
        var types = new string[typeCount];
        for (var i = 0; i < typeCount; i++)
            types[i] = r.ReadString(HandleValueCodec.MaxTypeLength, "requested type");
        r.ExpectEnd("resolution request");
        return new ResolutionRequest(handle, indexes, types);
    }

    public static byte[] WriteHandleValues(HandleValuesBody body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        new WireWriter(buffer).WriteString(body.Handle);
        HandleValueCodec.WriteList(buffer, body.Values);
        return buffer.WrittenSpan.ToArray();
    }

    public static HandleValuesBody ReadHandleValues(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var handle = r.ReadString(HandleName.MaxUtf8Length, "handle");
        var values = HandleValueCodec.ReadList(ref r, "values");
        r.ExpectEnd("value list body");
        return new HandleValuesBody(handle, values);
    }

    /// <summary>Bodies that are just a handle: delete-handle and get-site-info requests.</summary>
    public static byte[] WriteHandle(string handle)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        new WireWriter(buffer).WriteString(handle);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ReadHandle(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var handle = r.ReadString(HandleName.MaxUtf8Length, "handle");
        r.ExpectEnd("handle body");
        return handle;
    }

    public static byte[] WriteRemoveValues(RemoveValuesRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var w = new WireWriter(buffer);
        w.WriteString(request.Handle);
        w.WriteInt32(request.Indexes.Count);
        foreach (var index in request.Indexes)
            w.WriteInt32(index);
        return buffer.WrittenSpan.ToArray();
    }

    public static RemoveValuesRequest ReadRemoveValues(ReadOnlySpan<byte> body)
    {
        var r = new WireReader(body);
        var handle = r.ReadString(HandleName.MaxUtf8Length, "handle");
        var count = r.ReadCount(HandleRecord.MaxValues, 4, "indexes");
        var indexes = new int[count];
        for (var i = 0; i < count; i++)
            indexes[i] = r.ReadInt32();
        r.ExpectEnd("remove-value request");
        return new RemoveValuesRequest(handle, indexes);
    }

    /// <summary>Error response body (RFC 3652 §3.1.2): a UTF8-String message; CNRI may append an index list, which is ignored.</summary>
    public static byte[] WriteError(string message) => WriteHandle(message);

    public static string ReadError(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
            return "";
        var r = new WireReader(body);
        return r.ReadString(65536, "error message");
    }
}
