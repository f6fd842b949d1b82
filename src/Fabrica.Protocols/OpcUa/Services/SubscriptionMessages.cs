namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>
/// CreateSubscription (OPC 10000-4 §5.13.2): RequestedPublishingInterval (ms), RequestedLifetimeCount,
/// RequestedMaxKeepAliveCount, MaxNotificationsPerPublish, PublishingEnabled, Priority.
/// </summary>
internal sealed record CreateSubscriptionRequest(double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount, uint MaxNotificationsPerPublish, byte Priority, bool PublishingEnabled = true) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CreateSubscriptionRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteDouble(PublishingInterval);
        writer.WriteUInt32(LifetimeCount);
        writer.WriteUInt32(MaxKeepAliveCount);
        writer.WriteUInt32(MaxNotificationsPerPublish);
        writer.WriteBoolean(PublishingEnabled);
        writer.WriteByte(Priority);
    }
}

/// <summary>
/// ModifySubscription (OPC 10000-4 §5.13.3): SubscriptionId, RequestedPublishingInterval (ms),
/// RequestedLifetimeCount, RequestedMaxKeepAliveCount, MaxNotificationsPerPublish, Priority.
/// </summary>
internal sealed record ModifySubscriptionRequest(uint SubscriptionId, double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount, uint MaxNotificationsPerPublish, byte Priority) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.ModifySubscriptionRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteDouble(PublishingInterval);
        writer.WriteUInt32(LifetimeCount);
        writer.WriteUInt32(MaxKeepAliveCount);
        writer.WriteUInt32(MaxNotificationsPerPublish);
        writer.WriteByte(Priority);
    }
}

/// <summary>ModifySubscription response: RevisedPublishingInterval, RevisedLifetimeCount, RevisedMaxKeepAliveCount.</summary>
internal sealed record ModifySubscriptionResponse(ResponseHeader Header, double RevisedPublishingInterval, uint RevisedLifetimeCount, uint RevisedMaxKeepAliveCount) : IServiceResponse<ModifySubscriptionResponse>
{
    public static uint BinaryEncodingId => EncodingIds.ModifySubscriptionResponse;

    public static ModifySubscriptionResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header) =>
        new(header, reader.ReadDouble(), reader.ReadUInt32(), reader.ReadUInt32());
}

/// <summary>SetPublishingMode (OPC 10000-4 §5.13.4): PublishingEnabled, SubscriptionIds.</summary>
internal sealed record SetPublishingModeRequest(bool PublishingEnabled, IReadOnlyList<uint> SubscriptionIds) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.SetPublishingModeRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteBoolean(PublishingEnabled);
        writer.WriteUInt32Array(SubscriptionIds);
    }
}

internal sealed record SetPublishingModeResponse(ResponseHeader Header, StatusCode[] Results) : IServiceResponse<SetPublishingModeResponse>
{
    public static uint BinaryEncodingId => EncodingIds.SetPublishingModeResponse;

    public static SetPublishingModeResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new SetPublishingModeResponse(header, results);
    }
}

/// <summary>DeleteMonitoredItems (OPC 10000-4 §5.12.6): SubscriptionId, MonitoredItemIds.</summary>
internal sealed record DeleteMonitoredItemsRequest(uint SubscriptionId, IReadOnlyList<uint> MonitoredItemIds) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.DeleteMonitoredItemsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteUInt32Array(MonitoredItemIds);
    }
}

internal sealed record DeleteMonitoredItemsResponse(ResponseHeader Header, StatusCode[] Results) : IServiceResponse<DeleteMonitoredItemsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.DeleteMonitoredItemsResponse;

    public static DeleteMonitoredItemsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new DeleteMonitoredItemsResponse(header, results);
    }
}

internal sealed record CreateSubscriptionResponse(ResponseHeader Header, uint SubscriptionId, double RevisedPublishingInterval, uint RevisedLifetimeCount, uint RevisedMaxKeepAliveCount) : IServiceResponse<CreateSubscriptionResponse>
{
    public static uint BinaryEncodingId => EncodingIds.CreateSubscriptionResponse;

    public static CreateSubscriptionResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header) =>
        new(header, reader.ReadUInt32(), reader.ReadDouble(), reader.ReadUInt32(), reader.ReadUInt32());
}

/// <summary>DeleteSubscriptions (OPC 10000-4 §5.13.8): SubscriptionIds.</summary>
internal sealed record DeleteSubscriptionsRequest(IReadOnlyList<uint> SubscriptionIds) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.DeleteSubscriptionsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteUInt32Array(SubscriptionIds);
}

internal sealed record DeleteSubscriptionsResponse(ResponseHeader Header, StatusCode[] Results) : IServiceResponse<DeleteSubscriptionsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.DeleteSubscriptionsResponse;

    public static DeleteSubscriptionsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new DeleteSubscriptionsResponse(header, results);
    }
}

/// <summary>TransferSubscriptions (OPC 10000-4 §5.13.7): SubscriptionIds, SendInitialValues.</summary>
internal sealed record TransferSubscriptionsRequest(IReadOnlyList<uint> SubscriptionIds, bool SendInitialValues) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.TransferSubscriptionsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32Array(SubscriptionIds);
        writer.WriteBoolean(SendInitialValues);
    }
}

/// <summary>TransferResult: StatusCode, AvailableSequenceNumbers.</summary>
internal sealed record TransferSubscriptionsResponse(ResponseHeader Header, (StatusCode Status, uint[] Available)[] Results) : IServiceResponse<TransferSubscriptionsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.TransferSubscriptionsResponse;

    public static TransferSubscriptionsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(static (ref OpcUaBinaryReader r) => (r.ReadStatusCode(), r.ReadUInt32Array()));
        reader.ReadDiagnosticInfoArray();
        return new TransferSubscriptionsResponse(header, results);
    }
}

public enum MonitoringMode
{
    Disabled = 0,
    Sampling = 1,
    Reporting = 2,
}

public enum DataChangeTrigger
{
    Status = 0,
    StatusValue = 1,
    StatusValueTimestamp = 2,
}

public enum DeadbandType : uint
{
    None = 0,
    Absolute = 1,
    Percent = 2,
}

/// <summary>DataChangeFilter (OPC 10000-4 §7.22.2): Trigger, DeadbandType, DeadbandValue.</summary>
public sealed record DataChangeFilter(DataChangeTrigger Trigger, DeadbandType DeadbandType, double DeadbandValue) : IOpcUaEncodeable
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        writer.WriteInt32((int)Trigger);
        writer.WriteUInt32((uint)DeadbandType);
        writer.WriteDouble(DeadbandValue);
    }
}

/// <summary>
/// MonitoredItemCreateRequest (OPC 10000-4 §5.12.2.2): ItemToMonitor ReadValueId, MonitoringMode, and
/// MonitoringParameters (ClientHandle, SamplingInterval, Filter ExtensionObject, QueueSize, DiscardOldest).
/// </summary>
internal sealed record MonitoredItemCreateRequest(ReadValueId ItemToMonitor, uint ClientHandle, double SamplingInterval, DataChangeFilter? Filter, uint QueueSize)
{
    public void Encode(OpcUaBinaryWriter writer)
    {
        ItemToMonitor.Encode(writer);
        writer.WriteInt32((int)MonitoringMode.Reporting);
        writer.WriteUInt32(ClientHandle);
        writer.WriteDouble(SamplingInterval);
        writer.WriteExtensionObject(Filter is null ? null : ExtensionObject.FromEncodeable(new NodeId(EncodingIds.DataChangeFilter), Filter));
        writer.WriteUInt32(QueueSize);
        writer.WriteBoolean(true);
    }
}

/// <summary>MonitoredItemCreateResult: StatusCode, MonitoredItemId, RevisedSamplingInterval, RevisedQueueSize, FilterResult.</summary>
public sealed record MonitoredItemCreateResult(StatusCode StatusCode, uint MonitoredItemId, double RevisedSamplingInterval, uint RevisedQueueSize)
{
    public static MonitoredItemCreateResult Decode(ref OpcUaBinaryReader reader)
    {
        var result = new MonitoredItemCreateResult(reader.ReadStatusCode(), reader.ReadUInt32(), reader.ReadDouble(), reader.ReadUInt32());
        reader.ReadExtensionObject();
        return result;
    }
}

/// <summary>CreateMonitoredItems (OPC 10000-4 §5.12.2): SubscriptionId, TimestampsToReturn, ItemsToCreate.</summary>
internal sealed record CreateMonitoredItemsRequest(uint SubscriptionId, TimestampsToReturn TimestampsToReturn, IReadOnlyList<MonitoredItemCreateRequest> Items) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.CreateMonitoredItemsRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteInt32((int)TimestampsToReturn);
        writer.WriteArray(Items, static (w, i) => i.Encode(w));
    }
}

internal sealed record CreateMonitoredItemsResponse(ResponseHeader Header, MonitoredItemCreateResult[] Results) : IServiceResponse<CreateMonitoredItemsResponse>
{
    public static uint BinaryEncodingId => EncodingIds.CreateMonitoredItemsResponse;

    public static CreateMonitoredItemsResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var results = reader.ReadArray(MonitoredItemCreateResult.Decode);
        reader.ReadDiagnosticInfoArray();
        return new CreateMonitoredItemsResponse(header, results);
    }
}
