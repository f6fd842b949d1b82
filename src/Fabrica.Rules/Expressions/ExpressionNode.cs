namespace Fabrica.Rules;

/// <summary>Static type of an expression node, known after parsing. A tag's type is only known at evaluation.</summary>
internal enum ExpressionType
{
    Number,
    Bool,
    String,
    /// <summary>A tag reference: a number in arithmetic, a boolean in logic, a string when compared to a string.</summary>
    Any,
}

/// <summary>
/// A node of a parsed, type-checked expression tree; evaluation walks it with virtual calls over the rule's current
/// values (one slot per tag), allocating nothing. A missing or non-numeric value reads as NaN in arithmetic, so
/// comparisons with it are false.
/// </summary>
internal abstract class ExpressionNode(ExpressionType type, int position, int depth)
{
    public ExpressionType Type { get; } = type;

    public int Position { get; } = position;

    public int Depth { get; } = depth;

    public abstract double Number(ReadOnlySpan<SampleValue> values);

    public abstract bool Truth(ReadOnlySpan<SampleValue> values);

    public virtual string? Text(ReadOnlySpan<SampleValue> values) => null;

    public virtual SampleValue Value(ReadOnlySpan<SampleValue> values) => Type switch
    {
        ExpressionType.Bool => SampleValue.FromBool(Truth(values)),
        ExpressionType.String => SampleValue.FromString(Text(values) ?? ""),
        _ => SampleValue.FromDouble(Number(values)),
    };

    /// <summary>The children in evaluation order, for tree walks that are not evaluation (compilers, tests).</summary>
    public abstract ReadOnlySpan<ExpressionNode> Children { get; }

    protected static int DepthOf(ExpressionNode node) => node.Depth + 1;

    protected static int DepthOf(ExpressionNode left, ExpressionNode right) => Math.Max(left.Depth, right.Depth) + 1;
}

internal abstract class NumberNode(int position, int depth) : ExpressionNode(ExpressionType.Number, position, depth)
{
    public sealed override bool Truth(ReadOnlySpan<SampleValue> values)
    {
        var number = Number(values);
        return number != 0 && !double.IsNaN(number);
    }
}

internal abstract class BoolNode(int position, int depth) : ExpressionNode(ExpressionType.Bool, position, depth)
{
    public sealed override double Number(ReadOnlySpan<SampleValue> values) => Truth(values) ? 1 : 0;
}

internal sealed class NumberLiteral(double value, int position) : NumberNode(position, 1)
{
    public double Constant { get; } = value;

    public override double Number(ReadOnlySpan<SampleValue> values) => Constant;

    public override ReadOnlySpan<ExpressionNode> Children => [];
}

internal sealed class BoolLiteral(bool value, int position) : BoolNode(position, 1)
{
    public bool Constant { get; } = value;

    public override bool Truth(ReadOnlySpan<SampleValue> values) => Constant;

    public override ReadOnlySpan<ExpressionNode> Children => [];
}

internal sealed class StringLiteral(string value, int position) : ExpressionNode(ExpressionType.String, position, 1)
{
    public string Constant { get; } = value;

    public override double Number(ReadOnlySpan<SampleValue> values) => double.NaN;

    public override bool Truth(ReadOnlySpan<SampleValue> values) => false;

    public override string? Text(ReadOnlySpan<SampleValue> values) => Constant;

    public override ReadOnlySpan<ExpressionNode> Children => [];
}

/// <summary>A tag's current value, read from its slot.</summary>
internal sealed class TagReference(string tag, int slot, int position) : ExpressionNode(ExpressionType.Any, position, 1)
{
    public string Tag { get; } = tag;

    public int Slot { get; } = slot;

    public override double Number(ReadOnlySpan<SampleValue> values) => ToNumber(values[Slot]);

    public override bool Truth(ReadOnlySpan<SampleValue> values)
    {
        var value = values[Slot];
        return value.Kind switch
        {
            ValueKind.Bool or ValueKind.Long => value.RawBits != 0,
            ValueKind.Double => value.AsDouble() is var d && d != 0 && !double.IsNaN(d),
            _ => false,
        };
    }

    public override string? Text(ReadOnlySpan<SampleValue> values)
    {
        var value = values[Slot];
        return value.Kind == ValueKind.String ? value.AsString() : null;
    }

    public override SampleValue Value(ReadOnlySpan<SampleValue> values) => values[Slot];

    public override ReadOnlySpan<ExpressionNode> Children => [];

    /// <summary>Numeric view of any sample value: strings and the default (missing) value are NaN.</summary>
    public static double ToNumber(SampleValue value) => value.Kind switch
    {
        ValueKind.Double => BitConverter.Int64BitsToDouble(value.RawBits),
        ValueKind.Long or ValueKind.Bool => value.RawBits,
        _ => double.NaN,
    };
}
