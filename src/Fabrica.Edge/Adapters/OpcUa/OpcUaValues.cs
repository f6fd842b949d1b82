using System.Globalization;
using Fabrica.Protocols.OpcUa;

namespace Fabrica.Edge.Adapters.OpcUa;

/// <summary>
/// OPC UA values and Fabrica samples, both ways. A sample holds a double, a long, a bool or a string (ARCHITECTURE.md
/// §4), so: Boolean → bool; integers → long (a UInt64 above long's range → double); Float, Double → double;
/// DateTime → ISO 8601 text; StatusCode → its code as long; text-like types → their text. Arrays, matrices and
/// structures are not samples: such a reading is bad, with the reason in the device's <c>lastError</c>.
/// </summary>
internal static class OpcUaValues
{
    /// <summary>The reading of a data value: the value, the quality of its status code, and the chosen timestamp.</summary>
    public static TagReading ToReading(in DataValue value, TimestampSource timestamps, out string? refused)
    {
        refused = null;
        var quality = value.StatusCode.ToQuality();
        var time = timestamps == TimestampSource.Server
            ? First(value.ServerTimestamp, value.SourceTimestamp)
            : First(value.SourceTimestamp, value.ServerTimestamp);
        long? timestamp = time is { } t ? UnixTime.FromDateTimeOffset(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))) : null;
        if (value.Value.IsNull)
            return new TagReading(default, Quality.Bad, timestamp); // Bad statuses come without a value (OPC 10000-4 §7.7.1)
        if (!TryToSample(value.Value, out var sample))
        {
            refused = $"a {value.Value} value is not a Fabrica sample (scalars only)";
            return new TagReading(default, Quality.Bad, timestamp);
        }
        return new TagReading(sample, quality, timestamp);
    }

    private static DateTime? First(DateTime preferred, DateTime other) =>
        preferred != DateTime.MinValue ? preferred : other != DateTime.MinValue ? other : null;

    public static bool TryToSample(in Variant variant, out SampleValue sample)
    {
        sample = default;
        if (variant.IsArray)
            return false;
        switch (variant.Type)
        {
            case BuiltInType.Boolean:
                sample = SampleValue.FromBool((bool)variant.Value!);
                return true;
            case BuiltInType.SByte or BuiltInType.Byte or BuiltInType.Int16 or BuiltInType.UInt16 or BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Int64:
                sample = SampleValue.FromLong(Convert.ToInt64(variant.Value, CultureInfo.InvariantCulture));
                return true;
            case BuiltInType.UInt64:
                var unsigned = (ulong)variant.Value!;
                sample = unsigned <= long.MaxValue ? SampleValue.FromLong((long)unsigned) : SampleValue.FromDouble(unsigned);
                return true;
            case BuiltInType.Float or BuiltInType.Double:
                sample = SampleValue.FromDouble(variant.ToDouble()!.Value);
                return true;
            case BuiltInType.DateTime:
                sample = SampleValue.FromString(((DateTime)variant.Value!).ToString("O", CultureInfo.InvariantCulture));
                return true;
            case BuiltInType.StatusCode:
                sample = SampleValue.FromLong(((StatusCode)variant.Value!).Code);
                return true;
            case BuiltInType.ByteString:
                sample = SampleValue.FromString(Convert.ToBase64String((byte[]?)variant.Value ?? []));
                return true;
            case BuiltInType.Guid:
                sample = SampleValue.FromString(((Guid)variant.Value!).ToString("D"));
                return true;
            case BuiltInType.String or BuiltInType.XmlElement or BuiltInType.NodeId or BuiltInType.ExpandedNodeId
                or BuiltInType.QualifiedName or BuiltInType.LocalizedText:
                sample = SampleValue.FromString(variant.Value?.ToString() ?? "");
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A sample as a value of the node's type, for Write: numbers are rounded to integer types and refused when they do
    /// not fit (not wrapped), as the Modbus adapter does.
    /// </summary>
    public static Variant ToVariant(SampleValue value, BuiltInType type, string tag)
    {
        try
        {
            return type switch
            {
                BuiltInType.Boolean => Variant.From(value.AsBool()),
                BuiltInType.SByte => Variant.From(checked((sbyte)Integer(value))),
                BuiltInType.Byte => Variant.From(checked((byte)Integer(value))),
                BuiltInType.Int16 => Variant.From(checked((short)Integer(value))),
                BuiltInType.UInt16 => Variant.From(checked((ushort)Integer(value))),
                BuiltInType.Int32 => Variant.From(checked((int)Integer(value))),
                BuiltInType.UInt32 => Variant.From(checked((uint)Integer(value))),
                BuiltInType.Int64 => Variant.From(Integer(value)),
                BuiltInType.UInt64 => Variant.From(checked((ulong)Integer(value))),
                BuiltInType.Float => Variant.From((float)value.AsDouble()),
                BuiltInType.Double => Variant.From(value.AsDouble()),
                BuiltInType.String => Variant.From(Text(value)),
                BuiltInType.XmlElement => Variant.FromXmlElement(Text(value)),
                BuiltInType.LocalizedText => Variant.From(new LocalizedText(Text(value))),
                BuiltInType.QualifiedName => Variant.From(new QualifiedName(Text(value))),
                BuiltInType.NodeId => Variant.From(NodeId.Parse(Text(value))),
                BuiltInType.Guid => Variant.From(Guid.Parse(Text(value))),
                BuiltInType.ByteString => Variant.From(Convert.FromBase64String(Text(value))),
                BuiltInType.DateTime => Variant.From(value.Kind == ValueKind.String
                    ? DateTime.Parse(value.AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                    : DateTimeOffset.FromUnixTimeMilliseconds(value.AsLong()).UtcDateTime),
                BuiltInType.StatusCode => Variant.From(new StatusCode(checked((uint)Integer(value)))),
                _ => throw new ArgumentException($"tag {tag}: Fabrica cannot write values of OPC UA type {type}; only scalars.", nameof(type)),
            };
        }
        catch (Exception e) when (e is OverflowException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"tag {tag}: {value} cannot be written as OPC UA {type} ({e.Message})", nameof(value), e);
        }
    }

    private static long Integer(SampleValue value) => value.Kind switch
    {
        ValueKind.Double => double.IsFinite(value.AsDouble()) && Math.Abs(value.AsDouble()) < 9.2e18
            ? (long)Math.Round(value.AsDouble(), MidpointRounding.AwayFromZero)
            : throw new OverflowException($"{value.AsDouble()} does not fit"),
        ValueKind.String => long.Parse(value.AsString(), NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => value.AsLong(),
    };

    private static string Text(SampleValue value) => value.Kind == ValueKind.String ? value.AsString() : value.ToString();
}
