using System.Buffers;
using System.Text.Json;
using Fabrica.Edge.Pipeline;

namespace Fabrica.Edge.Uplink;

/// <summary>
/// A batch as the platform's JSON telemetry payload (docs/ingest.md): an array of
/// <c>{"ts": …, "q": …, "values": {…}}</c> objects. Consecutive samples with the same timestamp and quality share an
/// object; a tag seen twice starts a new one (a tag may appear once per object). Quality good is left out.
/// </summary>
internal static class JsonTelemetryEncoder
{
    public static void Encode(SampleBatch batch, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.WriteStartArray();
        var open = false;
        long timestamp = 0;
        var quality = Quality.Good;
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tag, sample) in batch.Samples)
        {
            if (!open || sample.Timestamp != timestamp || sample.Quality != quality || !tags.Add(tag))
            {
                if (open)
                {
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteStartObject();
                json.WriteNumber("ts"u8, sample.Timestamp);
                if (sample.Quality != Quality.Good)
                    json.WriteString("q"u8, sample.Quality == Quality.Bad ? "bad"u8 : "uncertain"u8);
                json.WriteStartObject("values"u8);
                open = true;
                timestamp = sample.Timestamp;
                quality = sample.Quality;
                tags.Clear();
                tags.Add(tag);
            }
            json.WritePropertyName(tag);
            var value = sample.Value;
            switch (value.Kind)
            {
                case ValueKind.Double:
                    var d = value.AsDouble();
                    json.WriteNumberValue(double.IsFinite(d) ? d : 0);
                    break;
                case ValueKind.Long:
                    json.WriteNumberValue(value.AsLong());
                    break;
                case ValueKind.Bool:
                    json.WriteBooleanValue(value.AsBool());
                    break;
                default:
                    json.WriteStringValue(value.AsString());
                    break;
            }
        }
        if (open)
        {
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
