namespace Fabrica.Protocols.Sparkplug;

public readonly partial struct SparkplugValue
{
    internal WireField Field => _field;

    internal ulong Bits => _bits;

    internal object? Reference => _ref;

    /// <summary>A value whose metric carried no datatype (allowed in DATA and CMD messages, §6.4.6).</summary>
    internal static SparkplugValue Untyped(bool isNull, WireField field, ulong bits, object? reference) =>
        new(SparkplugDataType.Unknown, isNull || field == WireField.None, bits, reference, field);

    /// <summary>
    /// Interprets a value decoded without a datatype as <paramref name="type"/>, the datatype its birth declared.
    /// A value that already has a datatype must have this one.
    /// </summary>
    /// <exception cref="SparkplugProtocolException">The value's field does not fit <paramref name="type"/>.</exception>
    public SparkplugValue WithDataType(SparkplugDataType type)
    {
        if (DataType == type)
            return this;
        if (DataType != SparkplugDataType.Unknown)
            SparkplugProtocolException.Throw(SparkplugErrorReason.ValueMismatch, $"a {DataType} value was sent for a metric born as {type}");
        return FromWire(type, IsNull, _field, _bits, _ref);
    }

    /// <summary>
    /// Checks a decoded <c>oneof value</c> against the metric's datatype (§6.4.16) and normalises it. Integer types
    /// accept <c>int_value</c> or <c>long_value</c> and both sign conventions peers use for small signed types
    /// (Tahu sign-extends an Int8 of -1 to 0xFFFFFFFF; others send 0xFF); other types need their own field.
    /// </summary>
    internal static SparkplugValue FromWire(SparkplugDataType type, bool isNull, WireField field, ulong bits, object? reference)
    {
        if (!SparkplugDataTypes.IsDefined(type))
            SparkplugProtocolException.Throw(SparkplugErrorReason.UnknownDataType, $"datatype {(uint)type} is not a Sparkplug datatype");
        if (SparkplugDataTypes.IsUnsupported(type))
            SparkplugProtocolException.Throw(SparkplugErrorReason.UnsupportedDataType, $"{type} metrics are not supported yet");
        if (isNull || field == WireField.None)
            return Null(type);

        switch (type)
        {
            case SparkplugDataType.Int8:
                return Int8((sbyte)Signed(type, field, bits, 8));
            case SparkplugDataType.Int16:
                return Int16((short)Signed(type, field, bits, 16));
            case SparkplugDataType.Int32:
                return Int32((int)Signed(type, field, bits, 32));
            case SparkplugDataType.Int64:
                return Int64(field == WireField.Int ? (int)(uint)bits : (long)Unsigned(type, field, bits, ulong.MaxValue));
            case SparkplugDataType.UInt8:
                return UInt8((byte)Unsigned(type, field, bits, byte.MaxValue));
            case SparkplugDataType.UInt16:
                return UInt16((ushort)Unsigned(type, field, bits, ushort.MaxValue));
            case SparkplugDataType.UInt32:
                return UInt32((uint)Unsigned(type, field, bits, uint.MaxValue));
            case SparkplugDataType.UInt64:
                return UInt64(Unsigned(type, field, bits, ulong.MaxValue));
            case SparkplugDataType.DateTime:
                return new(type, false, Unsigned(type, field, bits, long.MaxValue), null, WireField.Long);
            case SparkplugDataType.Float:
                Expect(type, field, WireField.Float);
                return new(type, false, bits, null, WireField.Float);
            case SparkplugDataType.Double:
                Expect(type, field, WireField.Double);
                return new(type, false, bits, null, WireField.Double);
            case SparkplugDataType.Boolean:
                Expect(type, field, WireField.Boolean);
                return Boolean(bits != 0);
            case SparkplugDataType.String or SparkplugDataType.Text or SparkplugDataType.Uuid:
                Expect(type, field, WireField.String);
                return new(type, false, 0, reference, WireField.String);
            default:
                Expect(type, field, WireField.Bytes);
                var bytes = (byte[])reference!;
                var width = SparkplugDataTypes.ArrayElementSize(type);
                if (width > 1 && bytes.Length % width != 0)
                    SparkplugProtocolException.Throw(SparkplugErrorReason.ValueMismatch, $"a {type} of {bytes.Length} bytes is not a whole number of {width}-byte elements");
                return new(type, false, 0, bytes, WireField.Bytes);
        }
    }

    private static long Signed(SparkplugDataType type, WireField field, ulong bits, int width)
    {
        var min = -(1L << (width - 1));
        var max = (1L << (width - 1)) - 1;
        var unsignedMax = width == 64 ? ulong.MaxValue : (1UL << width) - 1;
        long asSigned = field switch
        {
            WireField.Int => (int)(uint)bits,
            WireField.Long => (long)bits,
            _ => ThrowField<long>(type, field),
        };
        if (asSigned >= min && asSigned <= max)
            return asSigned;
        // Zero-extended two's complement of the narrow type (0xFF for an Int8 of -1).
        if (bits <= unsignedMax)
            return (long)(bits << (64 - width)) >> (64 - width);
        return SparkplugProtocolException.Throw<long>(SparkplugErrorReason.ValueMismatch, $"{asSigned} is out of range for {type}");
    }

    private static ulong Unsigned(SparkplugDataType type, WireField field, ulong bits, ulong max)
    {
        if (field is not (WireField.Int or WireField.Long))
            ThrowField<ulong>(type, field);
        return bits <= max ? bits : SparkplugProtocolException.Throw<ulong>(SparkplugErrorReason.ValueMismatch, $"{bits} is out of range for {type}");
    }

    private static void Expect(SparkplugDataType type, WireField field, WireField expected)
    {
        if (field != expected)
            ThrowField<int>(type, field);
    }

    private static T ThrowField<T>(SparkplugDataType type, WireField field) =>
        SparkplugProtocolException.Throw<T>(SparkplugErrorReason.ValueMismatch, $"a {type} metric cannot carry its value in the {field} field");
}
