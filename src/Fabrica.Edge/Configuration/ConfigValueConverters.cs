using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Edge.Configuration;

/// <summary>Durations as people write them: <c>"500ms"</c>, <c>"10s"</c>, <c>"1m"</c> (see <see cref="DurationText"/>).</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && DurationText.TryParse(reader.GetString(), out var duration))
            return duration;
        throw new JsonException($"{Describe(ref reader)} is not a duration; write a whole number and a unit in quotes, e.g. \"100ms\", \"10s\", \"5m\".");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms");

    internal static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"\"{reader.GetString()}\"",
        JsonTokenType.Number => reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString().ToLowerInvariant(),
    };
}

internal sealed class NullableDurationJsonConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationJsonConverter Inner = new();

    public override bool HandleNull => true;

    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } v)
            Inner.Write(writer, v, options);
        else
            writer.WriteNullValue();
    }
}

/// <summary>Sizes as a number of bytes or with a binary unit: <c>268435456</c>, <c>"256MiB"</c>, <c>"4MiB"</c>, <c>"1GiB"</c>.</summary>
internal sealed class ByteSizeJsonConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var bytes))
            return bytes;
        if (reader.TokenType == JsonTokenType.String && TryParse(reader.GetString()!, out bytes))
            return bytes;
        throw new JsonException($"{DurationJsonConverter.Describe(ref reader)} is not a size; write bytes as a number or a whole number with KiB, MiB or GiB, e.g. \"256MiB\".");
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    internal static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var span = text.AsSpan().Trim();
        var digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            digits++;
        if (digits == 0 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            return false;
        long unit = span[digits..].Trim() switch
        {
            "" or "B" => 1,
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            _ => 0,
        };
        if (unit == 0 || count > long.MaxValue / unit)
            return false;
        bytes = count * unit;
        return true;
    }
}
