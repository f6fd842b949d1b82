using Fabrica.Protocols.OpcUa;

namespace Fabrica.Protocols.Tests.OpcUa.Encoding;

/// <summary>Encodes a Publish response as a server sends it (OPC 10000-4 §5.13.5), for decoder tests.</summary>
internal static class PublishResponses
{
    public static byte[] Encode(int notifications)
    {
        using var w = new OpcUaBinaryWriter();
        w.WriteNodeId(new NodeId(829));
        w.WriteDateTime(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // ResponseHeader
        w.WriteUInt32(7);
        w.WriteStatusCode(StatusCodes.Good);
        w.WriteDiagnosticInfo(null);
        w.WriteStringArray([]);
        w.WriteExtensionObject(null);
        w.WriteUInt32(42);                 // SubscriptionId
        w.WriteUInt32Array([5]);           // AvailableSequenceNumbers
        w.WriteBoolean(false);             // MoreNotifications
        w.WriteUInt32(5);                  // NotificationMessage.SequenceNumber
        w.WriteDateTime(new DateTime(2024, 1, 1, 0, 0, 1, DateTimeKind.Utc));
        w.WriteInt32(1);                   // NotificationData[1]
        w.WriteNodeId(new NodeId(811));    // DataChangeNotification
        w.WriteByte(1);
        var lengthAt = w.Length;
        w.WriteInt32(0);
        w.WriteInt32(notifications);
        for (var i = 0; i < notifications; i++)
        {
            w.WriteUInt32((uint)i);
            w.WriteDataValue(new DataValue(Variant.From(i * 0.5), default, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(i), new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(i + 1)));
        }
        w.WriteInt32(-1);                  // DiagnosticInfos
        w.PatchInt32(lengthAt, w.Length - lengthAt - 4);
        w.WriteStatusCodeArray([]);        // Results
        w.WriteInt32(-1);                  // DiagnosticInfos
        return w.ToArray();
    }
}
