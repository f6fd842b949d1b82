namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>
/// NodeIds of the DefaultBinary encodings this client sends and receives (OPC 10000-6 Annex A, NodeIds.csv).
/// Every service message body starts with one of them (§5.2.9 / §7.1.2: "the encoding NodeId, then the fields").
/// </summary>
internal static class EncodingIds
{
    public const uint AnonymousIdentityToken = 321;
    public const uint UserNameIdentityToken = 324;
    public const uint ServiceFault = 397;
    public const uint GetEndpointsRequest = 428;
    public const uint GetEndpointsResponse = 431;
    public const uint OpenSecureChannelRequest = 446;
    public const uint OpenSecureChannelResponse = 449;
    public const uint CloseSecureChannelRequest = 452;
    public const uint CreateSessionRequest = 461;
    public const uint CreateSessionResponse = 464;
    public const uint ActivateSessionRequest = 467;
    public const uint ActivateSessionResponse = 470;
    public const uint CloseSessionRequest = 473;
    public const uint CloseSessionResponse = 476;
    public const uint BrowseRequest = 527;
    public const uint BrowseResponse = 530;
    public const uint BrowseNextRequest = 533;
    public const uint BrowseNextResponse = 536;
    public const uint TranslateBrowsePathsToNodeIdsRequest = 554;
    public const uint TranslateBrowsePathsToNodeIdsResponse = 557;
    public const uint ReadRequest = 631;
    public const uint ReadResponse = 634;
    public const uint WriteRequest = 673;
    public const uint WriteResponse = 676;
    public const uint CallRequest = 712;
    public const uint CallResponse = 715;
    public const uint DataChangeFilter = 724;
    public const uint CreateMonitoredItemsRequest = 751;
    public const uint CreateMonitoredItemsResponse = 754;
    public const uint DeleteMonitoredItemsRequest = 781;
    public const uint DeleteMonitoredItemsResponse = 784;
    public const uint CreateSubscriptionRequest = 787;
    public const uint CreateSubscriptionResponse = 790;
    public const uint ModifySubscriptionRequest = 793;
    public const uint ModifySubscriptionResponse = 796;
    public const uint SetPublishingModeRequest = 799;
    public const uint SetPublishingModeResponse = 802;
    public const uint DataChangeNotification = 811;
    public const uint StatusChangeNotification = 820;
    public const uint PublishRequest = 826;
    public const uint PublishResponse = 829;
    public const uint RepublishRequest = 832;
    public const uint RepublishResponse = 835;
    public const uint TransferSubscriptionsRequest = 841;
    public const uint TransferSubscriptionsResponse = 844;
    public const uint DeleteSubscriptionsRequest = 847;
    public const uint DeleteSubscriptionsResponse = 850;
    public const uint EventNotificationList = 916;
}

/// <summary>A service request: its encoding NodeId and the fields after the RequestHeader.</summary>
internal interface IServiceRequest
{
    uint BinaryEncodingId { get; }

    void EncodeBody(OpcUaBinaryWriter writer);
}

/// <summary>A service response decoded from the fields after its ResponseHeader.</summary>
internal interface IServiceResponse<TSelf>
    where TSelf : IServiceResponse<TSelf>
{
    static abstract uint BinaryEncodingId { get; }

    static abstract TSelf Decode(ref OpcUaBinaryReader reader, ResponseHeader header);
}

/// <summary>
/// RequestHeader (OPC 10000-4 §7.33): AuthenticationToken NodeId, Timestamp DateTime, RequestHandle UInt32,
/// ReturnDiagnostics UInt32, AuditEntryId String, TimeoutHint UInt32 (ms), AdditionalHeader ExtensionObject.
/// </summary>
internal readonly record struct RequestHeader(NodeId AuthenticationToken, DateTime Timestamp, uint RequestHandle, uint TimeoutHint)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteNodeId(AuthenticationToken);
        writer.WriteDateTime(Timestamp);
        writer.WriteUInt32(RequestHandle);
        writer.WriteUInt32(0);
        writer.WriteString(null);
        writer.WriteUInt32(TimeoutHint);
        writer.WriteExtensionObject(null);
    }
}

/// <summary>
/// ResponseHeader (OPC 10000-4 §7.34): Timestamp, RequestHandle, ServiceResult, ServiceDiagnostics DiagnosticInfo,
/// StringTable String[], AdditionalHeader ExtensionObject.
/// </summary>
public sealed record ResponseHeader(DateTime Timestamp, uint RequestHandle, StatusCode ServiceResult, DiagnosticInfo? ServiceDiagnostics, string?[] StringTable)
{
    public static ResponseHeader Decode(ref OpcUaBinaryReader reader)
    {
        var timestamp = reader.ReadDateTime();
        var handle = reader.ReadUInt32();
        var result = reader.ReadStatusCode();
        var diagnostics = reader.ReadDiagnosticInfo();
        var strings = reader.ReadStringArray();
        reader.ReadExtensionObject();
        return new ResponseHeader(timestamp, handle, result, diagnostics, strings);
    }
}

/// <summary>ServiceFault (OPC 10000-4 §7.35): only a ResponseHeader whose ServiceResult says why.</summary>
internal sealed record ServiceFault(ResponseHeader Header) : IServiceResponse<ServiceFault>
{
    public static uint BinaryEncodingId => EncodingIds.ServiceFault;

    public static ServiceFault Decode(ref OpcUaBinaryReader reader, ResponseHeader header) => new(header);
}
