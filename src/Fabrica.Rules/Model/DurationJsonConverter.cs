using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabrica.Rules;

/// <summary>
/// Durations in rule JSON as <see cref="DurationText"/> writes them (<c>500ms</c>, <c>10s</c>, <c>5m</c>). Zero and a
/// leading minus are read too, so that validation, not the JSON reader, tells the user which rule has a negative
/// or zero duration.
/// </summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("A duration is a string such as \"500ms\", \"10s\", \"5m\" or \"1h\".");
        var text = reader.GetString()!;
        return TryParse(text, out var duration)
            ? duration
            : throw new JsonException($"'{text}' is not a duration; write e.g. \"500ms\", \"10s\", \"5m\" or \"1h\".");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Format(value));

    internal static bool TryParse(string text, out TimeSpan duration)
    {
        var span = text.AsSpan().Trim();
        var negative = span.StartsWith('-');
        if (negative)
            span = span[1..];
        if (span is ['0', .. var unit] && unit is "ms" or "s" or "m" or "h" or "d")
        {
            duration = TimeSpan.Zero;
            return true;
        }
        if (!DurationText.TryParse(span, out duration))
            return false;
        if (negative)
            duration = -duration;
        return true;
    }

    internal static string Format(TimeSpan value)
    {
        var ms = (long)value.TotalMilliseconds;
        ReadOnlySpan<(long Size, string Unit)> units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")];
        foreach (var (size, unit) in units)
        {
            if (ms != 0 && ms % size == 0)
                return (ms / size).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return ms.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}

internal sealed class NullableDurationJsonConverter : JsonConverter<TimeSpan?>
{
    private static readonly DurationJsonConverter Inner = new();

    public override bool HandleNull => false;

    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => Inner.Read(ref reader, typeof(TimeSpan), options);

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } duration)
            Inner.Write(writer, duration, options);
        else
            writer.WriteNullValue();
    }
}
