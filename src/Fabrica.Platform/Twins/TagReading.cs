using System.Text.Json.Serialization;

namespace Fabrica.Platform.Twins;

/// <summary>A tag's value at a time, as twins hold it and alarms remember it.</summary>
/// <param name="Computed">True for a computed tag (from its type's expression) or one set by a rule.</param>
public sealed record TagReading(
    [property: JsonConverter(typeof(SampleValueJsonConverter))] SampleValue Value,
    long Timestamp,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Quality>))] Quality Quality = Quality.Good,
    bool Computed = false);
