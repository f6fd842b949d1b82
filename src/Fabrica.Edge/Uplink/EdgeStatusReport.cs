using System.Buffers;
using System.Text.Json;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Buffering;

namespace Fabrica.Edge.Uplink;

/// <summary>State of the edge's connection to the platform.</summary>
public enum LinkState
{
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
}

public sealed record DeviceStatus(string Id, DeviceState State, string? LastError);

/// <summary>
/// What the edge reports on <c>fabrica/edges/{id}/status</c> (retained) and <c>GET /api/v1/edges</c> shows:
/// <code>
/// {"edge":"line1-edge","online":true,"ts":1764480000000,"configVersion":"7","link":"connected",
///  "devices":[{"id":"press-7","state":"connected","lastError":null}],
///  "buffer":{"records":0,"bytes":32,"droppedRecords":0,"droppedSamples":0},"rejectedSamples":0,"lastError":null}
/// </code>
/// </summary>
public sealed record EdgeStatusReport(
    string EdgeId,
    bool Online,
    long Timestamp,
    string? ConfigVersion,
    LinkState Link,
    IReadOnlyList<DeviceStatus> Devices,
    QueueStats Buffer,
    long RejectedSamples,
    string? LastError)
{
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("edge", EdgeId);
            json.WriteBoolean("online", Online);
            json.WriteNumber("ts", Timestamp);
            json.WriteString("configVersion", ConfigVersion);
            json.WriteString("link", Name(Link));
            json.WriteStartArray("devices");
            foreach (var device in Devices)
            {
                json.WriteStartObject();
                json.WriteString("id", device.Id);
                json.WriteString("state", Name(device.State));
                json.WriteString("lastError", device.LastError);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("buffer");
            json.WriteNumber("records", Buffer.PendingRecords);
            json.WriteNumber("bytes", Buffer.Bytes);
            json.WriteNumber("droppedRecords", Buffer.DroppedRecords);
            json.WriteNumber("droppedSamples", Buffer.DroppedSamples);
            json.WriteEndObject();
            json.WriteNumber("rejectedSamples", RejectedSamples);
            json.WriteString("lastError", LastError);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The will: what the broker publishes for the edge when its connection dies without a goodbye.</summary>
    public static byte[] OfflineWill(string edgeId)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("edge", edgeId);
            json.WriteBoolean("online", false);
            json.WriteString("link", "lost");
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Name(LinkState state) => state switch
    {
        LinkState.Connected => "connected",
        LinkState.Connecting => "connecting",
        _ => "disconnected",
    };

    private static string Name(DeviceState state) => state switch
    {
        DeviceState.Connected => "connected",
        DeviceState.Connecting => "connecting",
        DeviceState.Faulted => "faulted",
        _ => "disconnected",
    };
}
