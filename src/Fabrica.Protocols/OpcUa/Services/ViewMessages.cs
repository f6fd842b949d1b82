namespace Fabrica.Protocols.OpcUa.Services;

public enum BrowseDirection
{
    Forward = 0,
    Inverse = 1,
    Both = 2,
}

[Flags]
public enum NodeClass
{
    Unspecified = 0,
    Object = 1,
    Variable = 2,
    Method = 4,
    ObjectType = 8,
    VariableType = 16,
    ReferenceType = 32,
    DataType = 64,
    View = 128,
}

/// <summary>Well-known NodeIds of namespace 0 that a client needs (OPC 10000-6 Annex A).</summary>
public static class WellKnownNodes
{
    public static readonly NodeId RootFolder = new(84);
    public static readonly NodeId ObjectsFolder = new(85);
    public static readonly NodeId HierarchicalReferences = new(33);
    public static readonly NodeId HasComponent = new(47);
    public static readonly NodeId Organizes = new(35);
    public static readonly NodeId ServerStatusState = new(2259);
    public static readonly NodeId ServerStatusCurrentTime = new(2258);
}

/// <summary>BrowseDescription (OPC 10000-4 §5.8.2.2).</summary>
public sealed record BrowseDescription(NodeId NodeId, BrowseDirection Direction, NodeId ReferenceTypeId, bool IncludeSubtypes, NodeClass NodeClassMask = NodeClass.Unspecified, uint ResultMask = 0x3F)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId);
        writer.WriteInt32((int)Direction);
        writer.WriteNodeId(ReferenceTypeId);
        writer.WriteBoolean(IncludeSubtypes);
        writer.WriteUInt32((uint)NodeClassMask);
        writer.WriteUInt32(ResultMask);
    }
}

/// <summary>ReferenceDescription (OPC 10000-4 §7.30).</summary>
public sealed record ReferenceDescription(NodeId ReferenceTypeId, bool IsForward, ExpandedNodeId NodeId, QualifiedName BrowseName, LocalizedText DisplayName, NodeClass NodeClass, ExpandedNodeId TypeDefinition)
{
    public static ReferenceDescription Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadNodeId(), reader.ReadBoolean(), reader.ReadExpandedNodeId(), reader.ReadQualifiedName(),
        reader.ReadLocalizedText(), (NodeClass)reader.ReadInt32(), reader.ReadExpandedNodeId());
}

/// <summary>BrowseResult (OPC 10000-4 §7.6): StatusCode, ContinuationPoint, References.</summary>
internal sealed record BrowseResult(StatusCode StatusCode, byte[]? ContinuationPoint, ReferenceDescription[] References)
{
    public static BrowseResult Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadStatusCode(), reader.ReadByteString(), reader.ReadArray(ReferenceDescription.Decode));
}

/// <summary>Browse (OPC 10000-4 §5.8.2): View (ViewId, Timestamp, ViewVersion), RequestedMaxReferencesPerNode, NodesToBrowse.</summary>
internal sealed record BrowseRequest(uint RequestedMaxReferencesPerNode, IReadOnlyList<BrowseDescription> NodesToBrowse) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.BrowseRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(NodeId.Null);
        writer.WriteDateTime(DateTime.MinValue);
        writer.WriteUInt32(0);
        writer.WriteUInt32(RequestedMaxReferencesPerNode);
        writer.WriteArray(NodesToBrowse, static (w, d) => d.Encode(w));
    }
}

internal sealed record BrowseResponse(ResponseHeader Header, BrowseResult[] Results) : IServiceResponse<BrowseResponse>
{
    public static uint BinaryEncodingId => EncodingIds.BrowseResponse;

    public static BrowseResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(BrowseResult.Decode);
        reader.ReadDiagnosticInfoArray();
        return new BrowseResponse(header, results);
    }
}

/// <summary>BrowseNext (OPC 10000-4 §5.8.3): ReleaseContinuationPoints, ContinuationPoints.</summary>
internal sealed record BrowseNextRequest(bool ReleaseContinuationPoints, IReadOnlyList<byte[]?> ContinuationPoints) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.BrowseNextRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteBoolean(ReleaseContinuationPoints);
        writer.WriteArray(ContinuationPoints, static (w, c) => w.WriteByteString(c));
    }
}

internal sealed record BrowseNextResponse(ResponseHeader Header, BrowseResult[] Results) : IServiceResponse<BrowseNextResponse>
{
    public static uint BinaryEncodingId => EncodingIds.BrowseNextResponse;

    public static BrowseNextResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(BrowseResult.Decode);
        reader.ReadDiagnosticInfoArray();
        return new BrowseNextResponse(header, results);
    }
}

/// <summary>BrowsePathTarget (OPC 10000-4 §5.8.4.2): TargetId, RemainingPathIndex.</summary>
public sealed record BrowsePathTarget(ExpandedNodeId TargetId, uint RemainingPathIndex);

internal sealed record BrowsePathResult(StatusCode StatusCode, BrowsePathTarget[] Targets)
{
    public static BrowsePathResult Decode(ref OpcUaBinaryReader reader) => new(
        reader.ReadStatusCode(),
        reader.ReadArray(static (ref OpcUaBinaryReader r) => new BrowsePathTarget(r.ReadExpandedNodeId(), r.ReadUInt32())));
}

/// <summary>
/// TranslateBrowsePathsToNodeIds (OPC 10000-4 §5.8.4): BrowsePath = StartingNode, RelativePath (RelativePathElement[]:
/// ReferenceTypeId, IsInverse, IncludeSubtypes, TargetName). Here every element follows hierarchical references forward.
/// </summary>
internal sealed record TranslateBrowsePathsRequest(IReadOnlyList<(NodeId Start, QualifiedName[] Path)> BrowsePaths) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.TranslateBrowsePathsToNodeIdsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteArray(BrowsePaths, static (w, path) =>
    {
        w.WriteNodeId(path.Start);
        w.WriteArray(path.Path, static (w2, name) =>
        {
            w2.WriteNodeId(WellKnownNodes.HierarchicalReferences);
            w2.WriteBoolean(false);
            w2.WriteBoolean(true);
            w2.WriteQualifiedName(name);
        });
    });
}

internal sealed record TranslateBrowsePathsResponse(ResponseHeader Header, BrowsePathResult[] Results) : IServiceResponse<TranslateBrowsePathsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.TranslateBrowsePathsToNodeIdsResponse;

    public static TranslateBrowsePathsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(BrowsePathResult.Decode);
        reader.ReadDiagnosticInfoArray();
        return new TranslateBrowsePathsResponse(header, results);
    }
}
