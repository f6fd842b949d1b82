namespace Fabrica.Rules;

/// <summary>Bounds that keep hostile input from costing more than a small rule should.</summary>
public static class ExpressionLimits
{
    /// <summary>Longest expression text accepted.</summary>
    public const int MaxLength = 4096;

    /// <summary>Deepest nesting of operators, parentheses and calls (also bounds evaluation recursion).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most arguments of a variadic function (<c>min</c>, <c>max</c>).</summary>
    public const int MaxArguments = 32;
}
