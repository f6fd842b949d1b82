using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica;

/// <summary>A sample value as the JSON number, boolean or string it is.</summary>
public sealed class SampleValueJsonConverter : JsonConverter<SampleValue>
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
            case ValueKind.Double when double.IsFinite(value.AsDouble()):
                writer.WriteNumberValue(value.AsDouble());
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
