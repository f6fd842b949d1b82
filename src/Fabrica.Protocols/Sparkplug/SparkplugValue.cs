using System.Globalization;

namespace Fabrica.Protocols.Sparkplug;

/// <summary>
/// A metric value with its Sparkplug datatype, without boxing: integers, DateTime, Boolean, Float and Double share one
/// 64-bit slot (floats as their bit patterns); text and bytes are held by reference. A value decoded from a DATA or
/// CMD metric that carried no datatype has <see cref="DataType"/> <see cref="SparkplugDataType.Unknown"/> and keeps
/// the raw protobuf field; <see cref="WithDataType"/> interprets it with the datatype of the birth.
/// </summary>
public readonly partial struct SparkplugValue : IEquatable<SparkplugValue>
{
    private readonly ulong _bits;
    private readonly object? _ref;
    private readonly WireField _field;

    private SparkplugValue(SparkplugDataType type, bool isNull, ulong bits, object? reference, WireField field)
    {
        DataType = type;
        IsNull = isNull;
        _bits = bits;
        _ref = reference;
        _field = field;
    }

    public SparkplugDataType DataType { get; }

    /// <summary>Sparkplug's explicit null (<c>is_null</c>): the metric exists but has no value now.</summary>
    public bool IsNull { get; }

    public static SparkplugValue Int8(sbyte value) => Integer(SparkplugDataType.Int8, value);

    public static SparkplugValue Int16(short value) => Integer(SparkplugDataType.Int16, value);

    public static SparkplugValue Int32(int value) => Integer(SparkplugDataType.Int32, value);

    public static SparkplugValue Int64(long value) => Integer(SparkplugDataType.Int64, value);

    public static SparkplugValue UInt8(byte value) => new(SparkplugDataType.UInt8, false, value, null, WireField.Int);

    public static SparkplugValue UInt16(ushort value) => new(SparkplugDataType.UInt16, false, value, null, WireField.Int);

    /// <summary>A UInt32. Encoded in <c>long_value</c>, as Eclipse Tahu (Java and JavaScript) do; decoded from either field.</summary>
    public static SparkplugValue UInt32(uint value) => new(SparkplugDataType.UInt32, false, value, null, WireField.Long);

    public static SparkplugValue UInt64(ulong value) => new(SparkplugDataType.UInt64, false, value, null, WireField.Long);

    public static SparkplugValue Float(float value) => new(SparkplugDataType.Float, false, BitConverter.SingleToUInt32Bits(value), null, WireField.Float);

    public static SparkplugValue Double(double value) => new(SparkplugDataType.Double, false, BitConverter.DoubleToUInt64Bits(value), null, WireField.Double);

    public static SparkplugValue Boolean(bool value) => new(SparkplugDataType.Boolean, false, value ? 1UL : 0UL, null, WireField.Boolean);

    public static SparkplugValue String(string value) => Textual(SparkplugDataType.String, value);

    public static SparkplugValue Text(string value) => Textual(SparkplugDataType.Text, value);

    public static SparkplugValue Uuid(string value) => Textual(SparkplugDataType.Uuid, value);

    /// <summary>A DateTime: UTC milliseconds since the Unix epoch, not negative (the wire type is uint64).</summary>
    public static SparkplugValue DateTime(long unixMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixMilliseconds);
        return new(SparkplugDataType.DateTime, false, (ulong)unixMilliseconds, null, WireField.Long);
    }

    public static SparkplugValue Bytes(byte[] value) => Binary(SparkplugDataType.Bytes, value);

    /// <summary>A Bytes, File or packed array value (types 22–34: little-endian elements, §6.4.17).</summary>
    public static SparkplugValue Binary(SparkplugDataType type, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!SparkplugDataTypes.IsBinary(type))
            throw new ArgumentException($"{type} is not carried in bytes_value.", nameof(type));
        var width = SparkplugDataTypes.ArrayElementSize(type);
        if (width > 1 && value.Length % width != 0)
            throw new ArgumentException($"A {type} holds a multiple of {width} bytes, not {value.Length}.", nameof(value));
        return new(type, false, 0, value, WireField.Bytes);
    }

    /// <summary>Sparkplug's explicit null for a metric of the given datatype.</summary>
    public static SparkplugValue Null(SparkplugDataType type) => new(type, true, 0, null, WireField.None);

    private static SparkplugValue Integer(SparkplugDataType type, long value) =>
        new(type, false, (ulong)value, null, type == SparkplugDataType.Int64 ? WireField.Long : WireField.Int);

    private static SparkplugValue Textual(SparkplugDataType type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(type, false, 0, value, WireField.String);
    }

    /// <summary>Signed integers, DateTime, and unsigned integers up to <see cref="long.MaxValue"/>.</summary>
    public long AsInt64()
    {
        RequireValue();
        if (SparkplugDataTypes.IsSignedInteger(DataType) || DataType == SparkplugDataType.DateTime)
            return (long)_bits;
        if (SparkplugDataTypes.IsUnsignedInteger(DataType))
            return _bits <= long.MaxValue ? (long)_bits : throw new OverflowException($"{_bits} does not fit an Int64.");
        throw NotA("integer");
    }

    /// <summary>Unsigned integers, and signed integers and DateTime that are not negative.</summary>
    public ulong AsUInt64()
    {
        RequireValue();
        if (SparkplugDataTypes.IsUnsignedInteger(DataType))
            return _bits;
        var signed = AsInt64();
        return signed >= 0 ? (ulong)signed : throw new OverflowException($"{signed} is negative.");
    }

    public float AsSingle() => DataType == SparkplugDataType.Float && !IsNull ? BitConverter.UInt32BitsToSingle((uint)_bits) : throw NotA("Float");

    /// <summary>Double and Float exactly; integers converted.</summary>
    public double AsDouble()
    {
        RequireValue();
        return DataType switch
        {
            SparkplugDataType.Double => BitConverter.UInt64BitsToDouble(_bits),
            SparkplugDataType.Float => BitConverter.UInt32BitsToSingle((uint)_bits),
            _ when SparkplugDataTypes.IsUnsignedInteger(DataType) => _bits,
            _ => AsInt64(),
        };
    }

    public bool AsBoolean() => DataType == SparkplugDataType.Boolean && !IsNull ? _bits != 0 : throw NotA("Boolean");

    public string AsString() => _ref as string ?? throw NotA("String, Text or UUID");

    public ReadOnlyMemory<byte> AsBytes() => _ref as byte[] ?? throw NotA("Bytes, File or array");

    public bool Equals(SparkplugValue other)
    {
        if (DataType != other.DataType || IsNull != other.IsNull || _bits != other._bits || _field != other._field)
            return false;
        return (_ref, other._ref) switch
        {
            (null, null) => true,
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is SparkplugValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(DataType, IsNull, _bits, _ref is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    public static bool operator ==(SparkplugValue left, SparkplugValue right) => left.Equals(right);

    public static bool operator !=(SparkplugValue left, SparkplugValue right) => !left.Equals(right);

    public override string ToString()
    {
        if (IsNull)
            return $"{DataType}(null)";
        var text = DataType switch
        {
            SparkplugDataType.Unknown => $"raw {_field}",
            SparkplugDataType.Float or SparkplugDataType.Double => AsDouble().ToString("R", CultureInfo.InvariantCulture),
            SparkplugDataType.Boolean => AsBoolean() ? "true" : "false",
            _ when SparkplugDataTypes.IsUnsignedInteger(DataType) => _bits.ToString(CultureInfo.InvariantCulture),
            _ when SparkplugDataTypes.IsSignedInteger(DataType) || DataType == SparkplugDataType.DateTime =>
                ((long)_bits).ToString(CultureInfo.InvariantCulture),
            _ when _ref is string s => s,
            _ when _ref is byte[] b => Convert.ToHexString(b),
            _ => string.Empty,
        };
        return $"{DataType}({text})";
    }

    private void RequireValue()
    {
        if (IsNull)
            throw new InvalidOperationException($"The {DataType} value is null.");
    }

    private InvalidOperationException NotA(string what) =>
        new(IsNull ? $"The {DataType} value is null." : $"A {DataType} value is not a {what}.");

    /// <summary>The protobuf <c>oneof value</c> field that carries (or carried) the value.</summary>
    internal enum WireField : byte
    {
        None,
        Int,
        Long,
        Float,
        Double,
        Boolean,
        String,
        Bytes,
    }
}
