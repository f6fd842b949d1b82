namespace Fabrica.Rules;

internal sealed class NegateNode(ExpressionNode operand, int position) : NumberNode(position, DepthOf(operand))
{
    private readonly ExpressionNode[] _children = [operand];

    public ExpressionNode Operand { get; } = operand;

    public override double Number(ReadOnlySpan<SampleValue> values) => -Operand.Number(values);

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}

internal sealed class NotNode(ExpressionNode operand, int position) : BoolNode(position, DepthOf(operand))
{
    private readonly ExpressionNode[] _children = [operand];

    public ExpressionNode Operand { get; } = operand;

    public override bool Truth(ReadOnlySpan<SampleValue> values) => !Operand.Truth(values);

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}

internal enum ArithmeticOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

/// <summary>IEEE 754 arithmetic: division by zero gives ±∞ or NaN, never an exception.</summary>
internal sealed class ArithmeticNode(ArithmeticOperator op, ExpressionNode left, ExpressionNode right, int position)
    : NumberNode(position, DepthOf(left, right))
{
    private readonly ExpressionNode[] _children = [left, right];

    public ArithmeticOperator Operator { get; } = op;

    public override double Number(ReadOnlySpan<SampleValue> values)
    {
        var l = _children[0].Number(values);
        var r = _children[1].Number(values);
        return Operator switch
        {
            ArithmeticOperator.Add => l + r,
            ArithmeticOperator.Subtract => l - r,
            ArithmeticOperator.Multiply => l * r,
            ArithmeticOperator.Divide => l / r,
            _ => l % r,
        };
    }

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}

internal enum ComparisonOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}

/// <summary>Numeric comparison; NaN (a missing or non-numeric value) compares false, except with '!='.</summary>
internal sealed class NumericComparisonNode(ComparisonOperator op, ExpressionNode left, ExpressionNode right, int position)
    : BoolNode(position, DepthOf(left, right))
{
    private readonly ExpressionNode[] _children = [left, right];

    public ComparisonOperator Operator { get; } = op;

    public override bool Truth(ReadOnlySpan<SampleValue> values)
    {
        var l = _children[0].Number(values);
        var r = _children[1].Number(values);
        return Operator switch
        {
            ComparisonOperator.Less => l < r,
            ComparisonOperator.LessOrEqual => l <= r,
            ComparisonOperator.Greater => l > r,
            ComparisonOperator.GreaterOrEqual => l >= r,
            ComparisonOperator.Equal => l == r,
            _ => l != r,
        };
    }

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}

internal enum EqualityMode
{
    /// <summary>Booleans (at least one side is a boolean expression).</summary>
    Truth,
    /// <summary>Ordinal string equality (at least one side is a string literal); a non-string value is unequal.</summary>
    Text,
    /// <summary>Two tags: numbers compare as numbers, strings as strings, a number never equals a string.</summary>
    Dynamic,
}

internal sealed class EqualityNode(EqualityMode mode, bool negate, ExpressionNode left, ExpressionNode right, int position)
    : BoolNode(position, DepthOf(left, right))
{
    private readonly ExpressionNode[] _children = [left, right];

    public EqualityMode Mode { get; } = mode;

    public bool Negate { get; } = negate;

    public override bool Truth(ReadOnlySpan<SampleValue> values) => Equal(values) != Negate;

    private bool Equal(ReadOnlySpan<SampleValue> values)
    {
        var left = _children[0];
        var right = _children[1];
        switch (Mode)
        {
            case EqualityMode.Truth:
                return left.Truth(values) == right.Truth(values);
            case EqualityMode.Text:
                var l = left.Text(values);
                return l is not null && string.Equals(l, right.Text(values), StringComparison.Ordinal);
            default:
                var a = left.Value(values);
                var b = right.Value(values);
                if (a.Kind == ValueKind.String || b.Kind == ValueKind.String)
                    return a.Kind == b.Kind && string.Equals(a.AsString(), b.AsString(), StringComparison.Ordinal);
                return TagReference.ToNumber(a) == TagReference.ToNumber(b);
        }
    }

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}

/// <summary>Short-circuit '&amp;&amp;' and '||'.</summary>
internal sealed class LogicalNode(bool isAnd, ExpressionNode left, ExpressionNode right, int position)
    : BoolNode(position, DepthOf(left, right))
{
    private readonly ExpressionNode[] _children = [left, right];

    public bool IsAnd { get; } = isAnd;

    public override bool Truth(ReadOnlySpan<SampleValue> values) => IsAnd
        ? _children[0].Truth(values) && _children[1].Truth(values)
        : _children[0].Truth(values) || _children[1].Truth(values);

    public override ReadOnlySpan<ExpressionNode> Children => _children;
}
