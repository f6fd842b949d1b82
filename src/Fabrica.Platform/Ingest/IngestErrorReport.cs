using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// What a device is told about a dropped message, published as is on <c>fabrica/devices/{id}/errors</c>:
/// <code>
///   {"device":"press-7","reason":"invalid_value","field":"$[3].values.temperature",
///    "message":"null is not a value. …","ts":1764480000000}
/// </code>
/// <see cref="Ts"/> is the server time of the rejection, Unix milliseconds.
/// </summary>
public sealed record IngestErrorReport(
    string Device,
    RejectReason Reason,
    string? Field,
    string Message,
    long Ts)
{
    public static IngestErrorReport From(string device, TelemetryRejection rejection, long ts)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new IngestErrorReport(device, rejection.Reason, rejection.Field, rejection.Message, ts);
    }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, IngestJsonContext.Default.IngestErrorReport);

    public static IngestErrorReport? FromUtf8Json(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, IngestJsonContext.Default.IngestErrorReport);
}

/// <summary>Source-generated JSON for ingest messages (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IngestErrorReport))]
public sealed partial class IngestJsonContext : JsonSerializerContext;
