using System.Text.Json;
using Fabrica.Storage;

namespace Fabrica.Server.Api;

/// <summary>
/// Writes telemetry query answers straight to the response with <see cref="Utf8JsonWriter"/>: answers can hold
/// 100,000 points per key, and building a DOM or DTO list first would double the memory and the time.
/// Shape: <c>{"temperature": [{"ts": 1764480000000, "value": 71.2}, …]}</c>; a point whose quality is not good
/// carries <c>"q": "bad"</c> or <c>"uncertain"</c>.
/// </summary>
internal static class TelemetryJson
{
    public static void WriteSample(Utf8JsonWriter writer, in Sample sample)
    {
        writer.WriteStartObject();
        writer.WriteNumber("ts", sample.Timestamp);
        writer.WritePropertyName("value");
        WriteValue(writer, sample.Value);
        WriteQuality(writer, sample.Quality);
        writer.WriteEndObject();
    }

    public static void WriteBucket(Utf8JsonWriter writer, in AggregateBucket bucket, AggregateKind kind)
    {
        writer.WriteStartObject();
        writer.WriteNumber("ts", bucket.Start);
        writer.WritePropertyName("value");
        switch (kind)
        {
            case AggregateKind.Count:
                writer.WriteNumberValue(bucket.Count);
                break;
            case AggregateKind.First:
                WriteValue(writer, bucket.First.Value);
                break;
            case AggregateKind.Last:
                WriteValue(writer, bucket.Last.Value);
                break;
            default:
                WriteNumberOrNull(writer, kind switch
                {
                    AggregateKind.Avg => bucket.Average,
                    AggregateKind.Min => bucket.Min,
                    AggregateKind.Max => bucket.Max,
                    _ => bucket.Sum,
                });
                break;
        }
        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, in SampleValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.Double:
                WriteNumberOrNull(writer, value.AsDouble());
                break;
            case ValueKind.Long:
                writer.WriteNumberValue(value.AsLong());
                break;
            case ValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool());
                break;
            default:
                writer.WriteStringValue(value.AsString());
                break;
        }
    }

    // JSON has no NaN or infinity; a stored one (e.g. from Sparkplug) is reported as null, never as invalid JSON.
    private static void WriteNumberOrNull(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteNullValue();
    }

    private static void WriteQuality(Utf8JsonWriter writer, Quality quality)
    {
        if (quality == Quality.Bad)
            writer.WriteString("q", "bad");
        else if (quality == Quality.Uncertain)
            writer.WriteString("q", "uncertain");
    }
}
