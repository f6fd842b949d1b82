using Fabrica.Protocols.OpcUa;
using Fabrica.Protocols.OpcUa.Services;

namespace Fabrica.Fuzz;

/// <summary>Whole service responses (OPC 10000-4 §5), decoded as the client's read loop decodes a reassembled message.</summary>
public static partial class OpcUaBinaryTarget
{
    /// <summary>
    /// TypeId, ResponseHeader (§7.34), then the body of the response the TypeId names. Returns 1 when it decoded.
    /// Values inside (DataValues of Read and Publish, output arguments of Call) are round-tripped too.
    /// </summary>
    public static int DecodeServiceResponse(ReadOnlySpan<byte> message)
    {
        var reader = new OpcUaBinaryReader(message, Limits);
        var typeId = reader.ReadNodeId();
        var header = ResponseHeader.Decode(ref reader);
        if (typeId.NamespaceIndex != 0 || typeId.IdType != NodeIdType.Numeric)
        {
            return 0;
        }

        switch (typeId.NumericIdentifier)
        {
            case EncodingIds.PublishResponse:
                CheckNotifications(PublishResponse.Decode(ref reader, header).NotificationMessage);
                break;
            case EncodingIds.RepublishResponse:
                CheckNotifications(RepublishResponse.Decode(ref reader, header).NotificationMessage);
                break;
            case EncodingIds.ReadResponse:
                foreach (var value in ReadResponse.Decode(ref reader, header).Results)
                {
                    RoundTrip(value, static (w, v) => w.WriteDataValue(v), static (ref OpcUaBinaryReader r) => r.ReadDataValue());
                }

                break;
            case EncodingIds.CallResponse:
                foreach (var result in CallResponse.Decode(ref reader, header).Results)
                {
                    foreach (var output in result.OutputArguments)
                    {
                        RoundTrip(output, static (w, v) => w.WriteVariant(v), static (ref OpcUaBinaryReader r) => r.ReadVariant());
                    }
                }

                break;
            case EncodingIds.ServiceFault: ServiceFault.Decode(ref reader, header); break;
            case EncodingIds.WriteResponse: WriteResponse.Decode(ref reader, header); break;
            case EncodingIds.BrowseResponse: BrowseResponse.Decode(ref reader, header); break;
            case EncodingIds.BrowseNextResponse: BrowseNextResponse.Decode(ref reader, header); break;
            case EncodingIds.TranslateBrowsePathsToNodeIdsResponse: TranslateBrowsePathsResponse.Decode(ref reader, header); break;
            case EncodingIds.GetEndpointsResponse: GetEndpointsResponse.Decode(ref reader, header); break;
            case EncodingIds.OpenSecureChannelResponse: OpenSecureChannelResponse.Decode(ref reader, header); break;
            case EncodingIds.CreateSessionResponse: CreateSessionResponse.Decode(ref reader, header); break;
            case EncodingIds.ActivateSessionResponse: ActivateSessionResponse.Decode(ref reader, header); break;
            case EncodingIds.CreateSubscriptionResponse: CreateSubscriptionResponse.Decode(ref reader, header); break;
            case EncodingIds.ModifySubscriptionResponse: ModifySubscriptionResponse.Decode(ref reader, header); break;
            case EncodingIds.SetPublishingModeResponse: SetPublishingModeResponse.Decode(ref reader, header); break;
            case EncodingIds.DeleteSubscriptionsResponse: DeleteSubscriptionsResponse.Decode(ref reader, header); break;
            case EncodingIds.TransferSubscriptionsResponse: TransferSubscriptionsResponse.Decode(ref reader, header); break;
            case EncodingIds.CreateMonitoredItemsResponse: CreateMonitoredItemsResponse.Decode(ref reader, header); break;
            case EncodingIds.DeleteMonitoredItemsResponse: DeleteMonitoredItemsResponse.Decode(ref reader, header); break;
            default: return 0;
        }

        FuzzInvariantException.Check(reader.Position <= message.Length, "the reader went past the end of the message");
        return 1;
    }

    private static void CheckNotifications(NotificationMessage message)
    {
        foreach (var change in message.DataChanges)
        {
            RoundTrip(change.Value, static (w, v) => w.WriteDataValue(v), static (ref OpcUaBinaryReader r) => r.ReadDataValue());
        }
    }
}
