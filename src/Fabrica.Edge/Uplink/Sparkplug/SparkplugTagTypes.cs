using Fabrica.Edge.Configuration;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Edge.Uplink.Sparkplug;

/// <summary>
/// The Sparkplug datatype each configured tag is declared with in its DBIRTH (docs/sparkplug.md, "Edge uplink"): a
/// birth fixes the datatype for the whole session, before the first reading, so it comes from the configuration.
/// Booleans (<c>bool</c>, coils, discrete inputs) → Boolean; <c>string</c> → String; whole-number types without
/// scaling → Int64; everything else (floats, scaled values, types the adapter infers) → Double.
/// </summary>
internal static class SparkplugTagTypes
{
    public static SparkplugDataType Of(TagOptions tag)
    {
        var type = tag.DataType?.Trim().ToLowerInvariant();
        var address = tag.Address.TrimStart().ToLowerInvariant();
        if (type == "bool" || type == "boolean" || (type is null && (address.StartsWith("coil:", StringComparison.Ordinal) || address.StartsWith("di:", StringComparison.Ordinal))))
            return SparkplugDataType.Boolean;
        if (type == "string")
            return SparkplugDataType.String;
        var scaled = tag.Scale != 1 || tag.Offset != 0;
        if (!scaled && type is "int16" or "uint16" or "int32" or "uint32" or "int64" or "int8" or "uint8" or "byte" or "sbyte")
            return SparkplugDataType.Int64;
        return SparkplugDataType.Double;
    }

    /// <summary>
    /// The metric value of a reading; false when it does not fit the declared type (e.g. a non-integral value for an
    /// Int64 metric after a configuration change): the caller counts it as rejected.
    /// </summary>
    public static bool TryConvert(SparkplugDataType type, SampleValue value, out SparkplugValue converted)
    {
        try
        {
            converted = SparkplugValue.FromSampleValue(type, value);
            return true;
        }
        catch (ArgumentException)
        {
            converted = default;
            return false;
        }
    }

    /// <summary>Fabrica quality → the Sparkplug Quality property (§6.4.9): Uncertain is reported as Stale.</summary>
    public static SparkplugQuality QualityOf(Quality quality) => quality switch
    {
        Quality.Good => SparkplugQuality.Good,
        Quality.Uncertain => SparkplugQuality.Stale,
        _ => SparkplugQuality.Bad,
    };
}
