namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>Attribute ids (OPC 10000-6 Annex A.1).</summary>
public enum AttributeId : uint
{
    NodeId = 1,
    NodeClass = 2,
    BrowseName = 3,
    DisplayName = 4,
    Description = 5,
    Value = 13,
    DataType = 14,
    ValueRank = 15,
    ArrayDimensions = 16,
    AccessLevel = 17,
    UserAccessLevel = 18,
    MinimumSamplingInterval = 19,
}

public enum TimestampsToReturn
{
    Source = 0,
    Server = 1,
    Both = 2,
    Neither = 3,
}

/// <summary>ReadValueId (OPC 10000-4 §7.29): NodeId, AttributeId, IndexRange, DataEncoding.</summary>
public sealed record ReadValueId(NodeId NodeId, AttributeId AttributeId = AttributeId.Value, string? IndexRange = null)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId);
        writer.WriteUInt32((uint)AttributeId);
        writer.WriteString(IndexRange);
        writer.WriteQualifiedName(default);
    }
}

/// <summary>Read (OPC 10000-4 §5.10.2): MaxAge (ms), TimestampsToReturn, NodesToRead.</summary>
internal sealed record ReadRequest(double MaxAge, TimestampsToReturn TimestampsToReturn, IReadOnlyList<ReadValueId> NodesToRead) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.ReadRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteDouble(MaxAge);
        writer.WriteInt32((int)TimestampsToReturn);
        writer.WriteArray(NodesToRead, static (w, n) => n.Encode(w));
    }
}

internal sealed record ReadResponse(ResponseHeader Header, DataValue[] Results) : IServiceResponse<ReadResponse>
{
    public static uint BinaryEncodingId => EncodingIds.ReadResponse;

    public static ReadResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(static (ref OpcUaBinaryReader r) => r.ReadDataValue());
        reader.ReadDiagnosticInfoArray();
        return new ReadResponse(header, results);
    }
}

/// <summary>WriteValue (OPC 10000-4 §5.10.4.2): NodeId, AttributeId, IndexRange, Value.</summary>
public sealed record WriteValue(NodeId NodeId, DataValue Value, AttributeId AttributeId = AttributeId.Value, string? IndexRange = null)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId);
        writer.WriteUInt32((uint)AttributeId);
        writer.WriteString(IndexRange);
        writer.WriteDataValue(Value);
    }
}

/// <summary>Write (OPC 10000-4 §5.10.4): NodesToWrite.</summary>
internal sealed record WriteRequest(IReadOnlyList<WriteValue> NodesToWrite) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.WriteRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteArray(NodesToWrite, static (w, n) => n.Encode(w));
}

internal sealed record WriteResponse(ResponseHeader Header, StatusCode[] Results) : IServiceResponse<WriteResponse>
{
    public static uint BinaryEncodingId => EncodingIds.WriteResponse;

    public static WriteResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new WriteResponse(header, results);
    }
}
