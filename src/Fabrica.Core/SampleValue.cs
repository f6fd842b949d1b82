using System.Globalization;

namespace Fabrica;

/// <summary>
/// A sample's value: double, long, bool or string, without boxing. Numbers are held in one 64-bit slot
/// (a double as its bit pattern, so NaN payloads and -0.0 survive a round trip through storage).
/// </summary>
public readonly struct SampleValue : IEquatable<SampleValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private SampleValue(ValueKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    public ValueKind Kind { get; }

    public static SampleValue FromDouble(double value) => new(ValueKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static SampleValue FromLong(long value) => new(ValueKind.Long, value, null);

    public static SampleValue FromBool(bool value) => new(ValueKind.Bool, value ? 1 : 0, null);

    public static SampleValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ValueKind.String, 0, value);
    }

    public static implicit operator SampleValue(double value) => FromDouble(value);

    public static implicit operator SampleValue(long value) => FromLong(value);

    public static implicit operator SampleValue(bool value) => FromBool(value);

    public static implicit operator SampleValue(string value) => FromString(value);

    public double AsDouble() => Kind switch
    {
        ValueKind.Double => BitConverter.Int64BitsToDouble(_bits),
        ValueKind.Long => _bits,
        ValueKind.Bool => _bits,
        _ => throw new InvalidOperationException($"A {Kind} value has no numeric form."),
    };

    public long AsLong() => Kind == ValueKind.Double ? (long)AsDouble() : Kind == ValueKind.String
        ? throw new InvalidOperationException("A String value has no numeric form.")
        : _bits;

    public bool AsBool() => Kind switch
    {
        ValueKind.Bool or ValueKind.Long => _bits != 0,
        ValueKind.Double => AsDouble() != 0,
        _ => throw new InvalidOperationException("A String value has no boolean form."),
    };

    public string AsString() => _text ?? throw new InvalidOperationException($"A {Kind} value is not a string.");

    /// <summary>The raw 64-bit slot: a double's bit pattern, a long, or 0/1 for a bool.</summary>
    public long RawBits => _bits;

    /// <summary>True for double, long and bool values, which aggregates can sum and average.</summary>
    public bool IsNumeric => Kind != ValueKind.String;

    public bool Equals(SampleValue other) => Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SampleValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    public static bool operator ==(SampleValue left, SampleValue right) => left.Equals(right);

    public static bool operator !=(SampleValue left, SampleValue right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        ValueKind.Double => AsDouble().ToString("R", CultureInfo.InvariantCulture),
        ValueKind.Long => _bits.ToString(CultureInfo.InvariantCulture),
        ValueKind.Bool => _bits != 0 ? "true" : "false",
        _ => _text ?? string.Empty,
    };
}
