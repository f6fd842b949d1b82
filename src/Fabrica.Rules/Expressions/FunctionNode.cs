namespace Fabrica.Rules;

internal enum ExpressionFunction
{
    Abs,
    Sqrt,
    Round,
    Min,
    Max,
    Clamp,
}

/// <summary>The built-in functions; none of them throws (clamp with lo &gt; hi returns lo, like a saturating limiter).</summary>
internal sealed class FunctionNode(ExpressionFunction function, ExpressionNode[] arguments, int position)
    : NumberNode(position, arguments.Max(a => a.Depth) + 1)
{
    private readonly ExpressionNode[] _arguments = arguments;

    public ExpressionFunction Function { get; } = function;

    public override double Number(ReadOnlySpan<SampleValue> values)
    {
        var args = _arguments;
        switch (Function)
        {
            case ExpressionFunction.Abs:
                return Math.Abs(args[0].Number(values));
            case ExpressionFunction.Sqrt:
                return Math.Sqrt(args[0].Number(values));
            case ExpressionFunction.Round:
                return args.Length == 1
                    ? Math.Round(args[0].Number(values), MidpointRounding.AwayFromZero)
                    : RoundTo(args[0].Number(values), args[1].Number(values));
            case ExpressionFunction.Min:
            case ExpressionFunction.Max:
                var result = args[0].Number(values);
                for (var i = 1; i < args.Length; i++)
                {
                    var next = args[i].Number(values);
                    result = Function == ExpressionFunction.Min ? Math.Min(result, next) : Math.Max(result, next);
                }
                return result;
            default:
                var x = args[0].Number(values);
                var lo = args[1].Number(values);
                var hi = args[2].Number(values);
                return double.IsNaN(x) ? x : x > hi ? (hi < lo ? lo : hi) : x < lo ? lo : x;
        }
    }

    private static double RoundTo(double value, double digits)
    {
        if (double.IsNaN(digits))
            return double.NaN;
        return Math.Round(value, (int)Math.Clamp(digits, 0, 15), MidpointRounding.AwayFromZero);
    }

    public override ReadOnlySpan<ExpressionNode> Children => _arguments;

    public static bool TryLookup(string name, out ExpressionFunction function, out int minArguments, out int maxArguments)
    {
        (function, minArguments, maxArguments) = name switch
        {
            "abs" => (ExpressionFunction.Abs, 1, 1),
            "sqrt" => (ExpressionFunction.Sqrt, 1, 1),
            "round" => (ExpressionFunction.Round, 1, 2),
            "min" => (ExpressionFunction.Min, 2, ExpressionLimits.MaxArguments),
            "max" => (ExpressionFunction.Max, 2, ExpressionLimits.MaxArguments),
            "clamp" => (ExpressionFunction.Clamp, 3, 3),
            _ => ((ExpressionFunction)(-1), 0, 0),
        };
        return minArguments > 0;
    }
}
