using System.Globalization;
using System.Runtime.CompilerServices;

namespace Fabrica.Protocols.OpcUa;

/// <summary>
/// A value of any built-in type, a one-dimensional array of it, or a matrix (OPC 10000-6 §5.2.2.16).
/// Scalars up to 8 bytes are held unboxed, so decoding a numeric notification allocates nothing for its value.
/// Arrays are typed .NET arrays (<c>double[]</c>, <c>string?[]</c>, <c>Variant[]</c>…); a matrix is its
/// elements in row-major order plus <see cref="ArrayDimensions"/>.
/// </summary>
public readonly struct Variant : IEquatable<Variant>
{
    private readonly ulong _bits;    // Boolean…Double, DateTime (ticks) and StatusCode scalars
    private readonly object? _ref;   // any other scalar, the array, or a Matrix

    private Variant(BuiltInType type, VariantShape shape, ulong bits, object? reference)
    {
        Type = type;
        Shape = shape;
        _bits = bits;
        _ref = reference;
    }

    public static Variant Null => default;

    public BuiltInType Type { get; }

    public VariantShape Shape { get; }

    public bool IsNull => Type == BuiltInType.Null;

    public bool IsArray => Shape != VariantShape.Scalar;

    /// <summary>The elements of an array or matrix (row-major), else null.</summary>
    public Array? ArrayValue => Shape == VariantShape.Array ? (Array?)_ref : Shape == VariantShape.Matrix ? ((Matrix)_ref!).Elements : null;

    /// <summary>The dimensions of a matrix, else null.</summary>
    public int[]? ArrayDimensions => Shape == VariantShape.Matrix ? ((Matrix)_ref!).Dimensions : null;

    /// <summary>The value as an object (boxes numeric scalars; arrays and matrices as their element array).</summary>
    public object? Value => Shape != VariantShape.Scalar ? ArrayValue : Type switch
    {
        BuiltInType.Null => null,
        BuiltInType.Boolean => _bits != 0,
        BuiltInType.SByte => (sbyte)_bits,
        BuiltInType.Byte => (byte)_bits,
        BuiltInType.Int16 => (short)_bits,
        BuiltInType.UInt16 => (ushort)_bits,
        BuiltInType.Int32 => (int)_bits,
        BuiltInType.UInt32 => (uint)_bits,
        BuiltInType.Int64 => (long)_bits,
        BuiltInType.UInt64 => _bits,
        BuiltInType.Float => BitConverter.Int32BitsToSingle((int)_bits),
        BuiltInType.Double => BitConverter.Int64BitsToDouble((long)_bits),
        BuiltInType.DateTime => new DateTime((long)_bits, DateTimeKind.Utc),
        BuiltInType.StatusCode => new StatusCode((uint)_bits),
        _ => _ref,
    };

    public static Variant From(bool value) => new(BuiltInType.Boolean, VariantShape.Scalar, value ? 1UL : 0UL, null);
    public static Variant From(sbyte value) => new(BuiltInType.SByte, VariantShape.Scalar, (ulong)value, null);
    public static Variant From(byte value) => new(BuiltInType.Byte, VariantShape.Scalar, value, null);
    public static Variant From(short value) => new(BuiltInType.Int16, VariantShape.Scalar, (ulong)value, null);
    public static Variant From(ushort value) => new(BuiltInType.UInt16, VariantShape.Scalar, value, null);
    public static Variant From(int value) => new(BuiltInType.Int32, VariantShape.Scalar, (ulong)value, null);
    public static Variant From(uint value) => new(BuiltInType.UInt32, VariantShape.Scalar, value, null);
    public static Variant From(long value) => new(BuiltInType.Int64, VariantShape.Scalar, (ulong)value, null);
    public static Variant From(ulong value) => new(BuiltInType.UInt64, VariantShape.Scalar, value, null);
    public static Variant From(float value) => new(BuiltInType.Float, VariantShape.Scalar, (uint)BitConverter.SingleToInt32Bits(value), null);
    public static Variant From(double value) => new(BuiltInType.Double, VariantShape.Scalar, (ulong)BitConverter.DoubleToInt64Bits(value), null);
    public static Variant From(DateTime value) => new(BuiltInType.DateTime, VariantShape.Scalar, (ulong)value.Ticks, null);
    public static Variant From(StatusCode value) => new(BuiltInType.StatusCode, VariantShape.Scalar, value.Code, null);
    public static Variant From(string? value) => new(BuiltInType.String, VariantShape.Scalar, 0, value);
    public static Variant From(Guid value) => new(BuiltInType.Guid, VariantShape.Scalar, 0, value);
    public static Variant From(byte[]? byteString) => new(BuiltInType.ByteString, VariantShape.Scalar, 0, byteString);
    public static Variant From(NodeId value) => new(BuiltInType.NodeId, VariantShape.Scalar, 0, value);
    public static Variant From(ExpandedNodeId value) => new(BuiltInType.ExpandedNodeId, VariantShape.Scalar, 0, value);
    public static Variant From(QualifiedName value) => new(BuiltInType.QualifiedName, VariantShape.Scalar, 0, value);
    public static Variant From(LocalizedText value) => new(BuiltInType.LocalizedText, VariantShape.Scalar, 0, value ?? LocalizedText.Null);
    public static Variant From(ExtensionObject value) => new(BuiltInType.ExtensionObject, VariantShape.Scalar, 0, value ?? ExtensionObject.Null);
    public static Variant From(DataValue value) => new(BuiltInType.DataValue, VariantShape.Scalar, 0, value);
    public static Variant From(DiagnosticInfo? value) => new(BuiltInType.DiagnosticInfo, VariantShape.Scalar, 0, value);
    public static Variant FromXmlElement(string? xml) => new(BuiltInType.XmlElement, VariantShape.Scalar, 0, xml);

    /// <summary>A one-dimensional array; <paramref name="elements"/> must be the CLR array type of <paramref name="type"/>.</summary>
    public static Variant FromArray(BuiltInType type, Array elements)
    {
        CheckElementType(type, elements);
        return new Variant(type, VariantShape.Array, 0, elements);
    }

    /// <summary>A matrix: elements in row-major order (the last index varies fastest) and one length per dimension.</summary>
    public static Variant FromMatrix(BuiltInType type, Array elements, int[] dimensions)
    {
        CheckElementType(type, elements);
        ArgumentNullException.ThrowIfNull(dimensions);
        long product = 1;
        foreach (var d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            product *= d;
        }
        if (dimensions.Length < 2 || product != elements.Length)
        {
            throw new ArgumentException("a matrix has at least two dimensions whose product is the element count", nameof(dimensions));
        }
        return new Variant(type, VariantShape.Matrix, 0, new Matrix(elements, dimensions));
    }

    public static implicit operator Variant(bool value) => From(value);
    public static implicit operator Variant(int value) => From(value);
    public static implicit operator Variant(uint value) => From(value);
    public static implicit operator Variant(long value) => From(value);
    public static implicit operator Variant(double value) => From(value);
    public static implicit operator Variant(float value) => From(value);
    public static implicit operator Variant(string? value) => From(value);
    public static implicit operator Variant(DateTime value) => From(value);

    /// <summary>The CLR element type of an array of <paramref name="type"/>.</summary>
    public static Type ElementTypeOf(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.Double => typeof(double),
        BuiltInType.String or BuiltInType.XmlElement => typeof(string),
        BuiltInType.DateTime => typeof(DateTime),
        BuiltInType.Guid => typeof(Guid),
        BuiltInType.ByteString => typeof(byte[]),
        BuiltInType.NodeId => typeof(NodeId),
        BuiltInType.ExpandedNodeId => typeof(ExpandedNodeId),
        BuiltInType.StatusCode => typeof(StatusCode),
        BuiltInType.QualifiedName => typeof(QualifiedName),
        BuiltInType.LocalizedText => typeof(LocalizedText),
        BuiltInType.ExtensionObject => typeof(ExtensionObject),
        BuiltInType.DataValue => typeof(DataValue),
        BuiltInType.Variant => typeof(Variant),
        BuiltInType.DiagnosticInfo => typeof(DiagnosticInfo),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no array of this type"),
    };

    private static void CheckElementType(BuiltInType type, Array elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.GetType().GetElementType() != ElementTypeOf(type) || elements.Rank != 1)
        {
            throw new ArgumentException($"an array of {type} is a {ElementTypeOf(type).Name}[]", nameof(elements));
        }
    }

    internal ulong Bits => _bits;

    internal object? Reference => _ref;

    /// <summary>A numeric or boolean scalar as a double (Fabrica samples), else null.</summary>
    public double? ToDouble() => Shape != VariantShape.Scalar ? null : Type switch
    {
        BuiltInType.Boolean => _bits != 0 ? 1 : 0,
        BuiltInType.SByte or BuiltInType.Int16 or BuiltInType.Int32 or BuiltInType.Int64 => (long)_bits,
        BuiltInType.Byte or BuiltInType.UInt16 or BuiltInType.UInt32 or BuiltInType.UInt64 => _bits,
        BuiltInType.Float => BitConverter.Int32BitsToSingle((int)_bits),
        BuiltInType.Double => BitConverter.Int64BitsToDouble((long)_bits),
        _ => null,
    };

    public bool Equals(Variant other) =>
        Type == other.Type && Shape == other.Shape && _bits == other._bits && OpcUaValueEquality.Equal(_ref, other._ref);

    public override bool Equals(object? obj) => obj is Variant other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, Shape, _bits);

    public static bool operator ==(Variant left, Variant right) => left.Equals(right);

    public static bool operator !=(Variant left, Variant right) => !left.Equals(right);

    public override string ToString() => Shape switch
    {
        VariantShape.Scalar => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "null",
        VariantShape.Array => $"{Type}[{ArrayValue!.Length}]",
        _ => $"{Type}[{string.Join(',', ArrayDimensions!)}]",
    };

    internal static Variant FromBits(BuiltInType type, ulong bits) => new(type, VariantShape.Scalar, bits, null);

    internal static Variant FromReference(BuiltInType type, object? reference) => new(type, VariantShape.Scalar, 0, reference);

    internal static Variant FromArrayUnchecked(BuiltInType type, Array elements) => new(type, VariantShape.Array, 0, elements);

    internal static Variant FromMatrixUnchecked(BuiltInType type, Array elements, int[] dimensions) =>
        new(type, VariantShape.Matrix, 0, new Matrix(elements, dimensions));

    private sealed record Matrix(Array Elements, int[] Dimensions)
    {
        public bool Equals(Matrix? other) =>
            other is not null && Dimensions.AsSpan().SequenceEqual(other.Dimensions) && OpcUaValueEquality.Equal(Elements, other.Elements);

        public override int GetHashCode() => RuntimeHelpers.GetHashCode(Elements);
    }
}

public enum VariantShape : byte
{
    Scalar = 0,
    Array = 1,
    Matrix = 2,
}

/// <summary>Structural equality for decoded values (byte strings and arrays by content).</summary>
internal static class OpcUaValueEquality
{
    public static bool Equal(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a is null || b is null)
        {
            return false;
        }
        if (a is byte[] x && b is byte[] y)
        {
            return x.AsSpan().SequenceEqual(y);
        }
        if (a is Array left && b is Array right)
        {
            if (left.GetType() != right.GetType() || left.Length != right.Length)
            {
                return false;
            }
            for (var i = 0; i < left.Length; i++)
            {
                if (!Equal(left.GetValue(i), right.GetValue(i)))
                {
                    return false;
                }
            }
            return true;
        }
        return a.Equals(b);
    }
}
