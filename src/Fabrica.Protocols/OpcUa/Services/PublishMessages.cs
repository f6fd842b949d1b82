namespace Fabrica.Protocols.OpcUa.Services;

/// <summary>MonitoredItemNotification (OPC 10000-4 §7.25.2): ClientHandle, Value.</summary>
public readonly record struct MonitoredItemNotification(uint ClientHandle, DataValue Value);

/// <summary>
/// NotificationMessage (OPC 10000-4 §7.26): SequenceNumber, PublishTime, NotificationData ExtensionObject[].
/// Data changes are decoded; a StatusChangeNotification's status is kept; event lists are counted and skipped.
/// An empty message is a keep-alive.
/// </summary>
public sealed record NotificationMessage(uint SequenceNumber, DateTime PublishTime, MonitoredItemNotification[] DataChanges, StatusCode? StatusChange, int SkippedNotificationData)
{
    public bool IsKeepAlive => DataChanges.Length == 0 && StatusChange is null && SkippedNotificationData == 0;

    public static NotificationMessage Decode(ref OpcUaBinaryReader reader)
    {
        var sequenceNumber = reader.ReadUInt32();
        var publishTime = reader.ReadDateTime();
        var count = reader.ReadArrayLength();
        MonitoredItemNotification[] dataChanges = [];
        StatusCode? statusChange = null;
        var skipped = 0;
        for (var i = 0; i < count; i++)
        {
            var (typeId, length) = reader.ReadExtensionObjectHeader();
            if (length < 0)
            {
                skipped++;
                continue;
            }
            var body = reader.ReadSlice(length);
            if (typeId == DataChangeNotificationId)
            {
                var items = body.ReadArray(static (ref OpcUaBinaryReader r) => new MonitoredItemNotification(r.ReadUInt32(), r.ReadDataValue()));
                dataChanges = dataChanges.Length == 0 ? items : [.. dataChanges, .. items];
            }
            else if (typeId == StatusChangeNotificationId)
            {
                statusChange = body.ReadStatusCode();
            }
            else
            {
                skipped++;
            }
        }
        return new NotificationMessage(sequenceNumber, publishTime, dataChanges, statusChange, skipped);
    }

    private static readonly NodeId DataChangeNotificationId = new(EncodingIds.DataChangeNotification);
    private static readonly NodeId StatusChangeNotificationId = new(EncodingIds.StatusChangeNotification);
}

/// <summary>SubscriptionAcknowledgement (OPC 10000-4 §5.13.5.2): SubscriptionId, SequenceNumber.</summary>
public readonly record struct SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber);

/// <summary>Publish (OPC 10000-4 §5.13.5): SubscriptionAcknowledgements.</summary>
internal sealed record PublishRequest(IReadOnlyList<SubscriptionAcknowledgement> Acknowledgements) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.PublishRequest;

    public void EncodeBody(OpcUaBinaryWriter writer) => writer.WriteArray(Acknowledgements, static (w, a) =>
    {
        w.WriteUInt32(a.SubscriptionId);
        w.WriteUInt32(a.SequenceNumber);
    });
}

/// <summary>
/// Publish response: SubscriptionId, AvailableSequenceNumbers, MoreNotifications, NotificationMessage,
/// Results (one per acknowledgement), DiagnosticInfos.
/// </summary>
public sealed record PublishResponse(ResponseHeader Header, uint SubscriptionId, uint[] AvailableSequenceNumbers, bool MoreNotifications, NotificationMessage NotificationMessage, StatusCode[] Results) : IServiceResponse<PublishResponse>
{
    public static uint BinaryEncodingId => EncodingIds.PublishResponse;

    public static PublishResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header)
    {
        var subscriptionId = reader.ReadUInt32();
        var available = reader.ReadUInt32Array();
        var more = reader.ReadBoolean();
        var message = NotificationMessage.Decode(ref reader);
        var results = reader.ReadStatusCodeArray();
        reader.ReadDiagnosticInfoArray();
        return new PublishResponse(header, subscriptionId, available, more, message, results);
    }
}

/// <summary>Republish (OPC 10000-4 §5.13.6): SubscriptionId, RetransmitSequenceNumber.</summary>
internal sealed record RepublishRequest(uint SubscriptionId, uint RetransmitSequenceNumber) : IServiceRequest
{
    public uint BinaryEncodingId => EncodingIds.RepublishRequest;

    public void EncodeBody(OpcUaBinaryWriter writer)
    {
        writer.WriteUInt32(SubscriptionId);
        writer.WriteUInt32(RetransmitSequenceNumber);
    }
}

internal sealed record RepublishResponse(ResponseHeader Header, NotificationMessage NotificationMessage) : IServiceResponse<RepublishResponse>
{
    public static uint BinaryEncodingId => EncodingIds.RepublishResponse;

    public static RepublishResponse Decode(ref OpcUaBinaryReader reader, ResponseHeader header) =>
        new(header, NotificationMessage.Decode(ref reader));
}
