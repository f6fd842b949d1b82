using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Platform.Twins;

/// <summary>A tag's value at a time, as twins hold it and alarms remember it.</summary>
/// <param name="Computed">True for a computed tag (from its type's expression) or one set by a rule.</param>
public sealed record TagReading(
    [property: JsonConverter(typeof(SampleValueJson))] SampleValue Value,
    long Timestamp,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Quality>))] Quality Quality = Quality.Good,
    bool Computed = false);

/// <summary>A sample value as the JSON number, boolean or string it is.</summary>
public sealed class SampleValueJson : JsonConverter<SampleValue>
{
    public override SampleValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => SampleValue.FromBool(true),
        JsonTokenType.False => SampleValue.FromBool(false),
        JsonTokenType.String => SampleValue.FromString(reader.GetString()!),
        JsonTokenType.Number when reader.TryGetInt64(out var whole) => SampleValue.FromLong(whole),
        JsonTokenType.Number => SampleValue.FromDouble(reader.GetDouble()),
        _ => throw new JsonException("A value is a number, a boolean or a string."),
    };

    public override void Write(Utf8JsonWriter writer, SampleValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case ValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool());
                break;
            case ValueKind.Long:
                writer.WriteNumberValue(value.AsLong());
                break;
            case ValueKind.String:
                writer.WriteStringValue(value.AsString());
                break;
            default:
                var d = value.AsDouble();
                if (double.IsFinite(d))
                    writer.WriteNumberValue(d);
                else
                    writer.WriteNullValue();
                break;
        }
    }
}
