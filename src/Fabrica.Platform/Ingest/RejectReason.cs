using System.Text.Json.Serialization;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Why a telemetry message was dropped. Each reason has one stable wire name (snake_case) used in the
/// <c>errors</c> topic, problem bodies, logs and the <c>reason</c> tag of <c>fabrica.ingest.rejected</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejectReason>))]
public enum RejectReason
{
    /// <summary>Not JSON: a syntax error, a truncated document, invalid UTF-8, trailing data.</summary>
    [JsonStringEnumMemberName("malformed_json")]
    MalformedJson,

    /// <summary>More bytes than <see cref="IngestLimits.MaxPayloadBytes"/>.</summary>
    [JsonStringEnumMemberName("payload_too_large")]
    PayloadTooLarge,

    /// <summary>Nothing to store: zero bytes, only whitespace, <c>{}</c>, <c>[]</c> or empty <c>values</c>.</summary>
    [JsonStringEnumMemberName("empty_payload")]
    EmptyPayload,

    /// <summary>Valid JSON in the wrong shape: a scalar at the top, an array in an array, <c>ts</c> without <c>values</c>.</summary>
    [JsonStringEnumMemberName("invalid_structure")]
    InvalidStructure,

    /// <summary>A timestamp that is neither Unix milliseconds nor RFC 3339, or lies before <see cref="IngestLimits.MinTimestamp"/>.</summary>
    [JsonStringEnumMemberName("invalid_timestamp")]
    InvalidTimestamp,

    /// <summary>A timestamp further ahead of the server clock than <see cref="IngestLimits.MaxFutureSkew"/>.</summary>
    [JsonStringEnumMemberName("timestamp_in_future")]
    TimestampInFuture,

    /// <summary>A tag name that breaks <see cref="NamingRules.IsValidTag"/>, is too long, or repeats in one object.</summary>
    [JsonStringEnumMemberName("invalid_key")]
    InvalidKey,

    /// <summary>A value that is null, an object, an array, or a number outside the range of a double.</summary>
    [JsonStringEnumMemberName("invalid_value")]
    InvalidValue,

    /// <summary>A string value longer than <see cref="IngestLimits.MaxStringValueLength"/>.</summary>
    [JsonStringEnumMemberName("value_too_long")]
    ValueTooLong,

    /// <summary>A <c>q</c> other than <c>"good"</c>, <c>"uncertain"</c> or <c>"bad"</c>.</summary>
    [JsonStringEnumMemberName("invalid_quality")]
    InvalidQuality,

    /// <summary>More samples than <see cref="IngestLimits.MaxSamplesPerMessage"/>.</summary>
    [JsonStringEnumMemberName("too_many_samples")]
    TooManySamples,

    /// <summary>A device id (from the topic or URL) that breaks <see cref="NamingRules.IsValidDeviceId"/>.</summary>
    [JsonStringEnumMemberName("invalid_device_id")]
    InvalidDeviceId,
}

public static class RejectReasons
{
    /// <summary>Every reason, in declaration order; the index of a reason is its numeric value.</summary>
    public static IReadOnlyList<RejectReason> All { get; } = Enum.GetValues<RejectReason>();

    /// <summary>The stable snake_case name of a reason, as in JSON and metrics.</summary>
    public static string WireName(this RejectReason reason) => reason switch
    {
        RejectReason.MalformedJson => "malformed_json",
        RejectReason.PayloadTooLarge => "payload_too_large",
        RejectReason.EmptyPayload => "empty_payload",
        RejectReason.InvalidStructure => "invalid_structure",
        RejectReason.InvalidTimestamp => "invalid_timestamp",
        RejectReason.TimestampInFuture => "timestamp_in_future",
        RejectReason.InvalidKey => "invalid_key",
        RejectReason.InvalidValue => "invalid_value",
        RejectReason.ValueTooLong => "value_too_long",
        RejectReason.InvalidQuality => "invalid_quality",
        RejectReason.TooManySamples => "too_many_samples",
        RejectReason.InvalidDeviceId => "invalid_device_id",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
