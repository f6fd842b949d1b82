using System.Globalization;

namespace Fabrica.Protocols.Sparkplug;

public readonly partial struct SparkplugValue
{
    /// <summary>
    /// The Fabrica sample value for this Sparkplug value (docs/sparkplug.md, "Datatypes"): integers and DateTime
    /// → Long (a UInt64 above Int64.MaxValue → Double), Float and Double → Double, Boolean → Bool, String, Text and
    /// UUID → String. Null, Bytes, File, arrays and untyped values have no sample value: false.
    /// </summary>
    public bool TryToSampleValue(out SampleValue value)
    {
        value = default;
        if (IsNull)
            return false;
        switch (DataType)
        {
            case SparkplugDataType.Int8 or SparkplugDataType.Int16 or SparkplugDataType.Int32 or SparkplugDataType.Int64 or SparkplugDataType.DateTime:
                value = SampleValue.FromLong((long)_bits);
                return true;
            case SparkplugDataType.UInt8 or SparkplugDataType.UInt16 or SparkplugDataType.UInt32 or SparkplugDataType.UInt64:
                value = _bits <= long.MaxValue ? SampleValue.FromLong((long)_bits) : SampleValue.FromDouble(_bits);
                return true;
            case SparkplugDataType.Float or SparkplugDataType.Double:
                value = SampleValue.FromDouble(AsDouble());
                return true;
            case SparkplugDataType.Boolean:
                value = SampleValue.FromBool(_bits != 0);
                return true;
            case SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid:
                value = SampleValue.FromString((string)_ref!);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A Sparkplug value of <paramref name="type"/> holding a Fabrica value, for writes routed back to a device and
    /// for edge data. Numbers must fit the type exactly (a double for an integer type must be integral).
    /// </summary>
    /// <exception cref="ArgumentException">The value cannot be represented as <paramref name="type"/>.</exception>
    public static SparkplugValue FromSampleValue(SparkplugDataType type, SampleValue value)
    {
        switch (type)
        {
            case SparkplugDataType.Boolean:
                return value.Kind == ValueKind.String ? throw Unfit(type, value) : Boolean(value.AsBool());
            case SparkplugDataType.Float:
                return value.Kind == ValueKind.String ? throw Unfit(type, value) : Float((float)value.AsDouble());
            case SparkplugDataType.Double:
                return value.Kind == ValueKind.String ? throw Unfit(type, value) : Double(value.AsDouble());
            case SparkplugDataType.String:
                return String(value.ToString());
            case SparkplugDataType.Text:
                return Text(value.ToString());
            case SparkplugDataType.Uuid:
                return value.Kind == ValueKind.String && Guid.TryParse(value.AsString(), out _) ? Uuid(value.AsString()) : throw Unfit(type, value);
        }

        if (!(SparkplugDataTypes.IsSignedInteger(type) || SparkplugDataTypes.IsUnsignedInteger(type) || type == SparkplugDataType.DateTime))
            throw new ArgumentException($"Fabrica values cannot be written to {type} metrics.", nameof(type));

        Int128 number;
        switch (value.Kind)
        {
            case ValueKind.Long or ValueKind.Bool:
                number = value.AsLong();
                break;
            case ValueKind.Double when double.IsInteger(value.AsDouble()) && Math.Abs(value.AsDouble()) < 1.9e19:
                number = (Int128)value.AsDouble();
                break;
            case ValueKind.String when Int128.TryParse(value.AsString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                number = parsed;
                break;
            default:
                throw Unfit(type, value);
        }

        return type switch
        {
            SparkplugDataType.Int8 when number >= sbyte.MinValue && number <= sbyte.MaxValue => Int8((sbyte)number),
            SparkplugDataType.Int16 when number >= short.MinValue && number <= short.MaxValue => Int16((short)number),
            SparkplugDataType.Int32 when number >= int.MinValue && number <= int.MaxValue => Int32((int)number),
            SparkplugDataType.Int64 when number >= long.MinValue && number <= long.MaxValue => Int64((long)number),
            SparkplugDataType.UInt8 when number >= 0 && number <= byte.MaxValue => UInt8((byte)number),
            SparkplugDataType.UInt16 when number >= 0 && number <= ushort.MaxValue => UInt16((ushort)number),
            SparkplugDataType.UInt32 when number >= 0 && number <= uint.MaxValue => UInt32((uint)number),
            SparkplugDataType.UInt64 when number >= 0 && number <= ulong.MaxValue => UInt64((ulong)number),
            SparkplugDataType.DateTime when number >= 0 && number <= long.MaxValue => DateTime((long)number),
            _ => throw Unfit(type, value),
        };
    }

    private static ArgumentException Unfit(SparkplugDataType type, SampleValue value) =>
        new($"The {value.Kind} value {value} cannot be written to a {type} metric.", nameof(value));
}
