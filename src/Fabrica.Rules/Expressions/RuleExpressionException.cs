namespace Fabrica.Rules;

/// <summary>
/// The one exception the expression parser throws: what is wrong and where (0-based character position in the
/// expression text). Hostile or random input produces this and nothing else.
/// </summary>
public sealed class RuleExpressionException : Exception
{
    public RuleExpressionException(string reason, int position)
        : base($"{reason} (at position {position})")
    {
        Reason = reason;
        Position = position;
    }

    public RuleExpressionException()
    {
        Reason = "";
    }

    public RuleExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>The problem without the position, e.g. <c>Unknown function 'sin'</c>.</summary>
    public string Reason { get; }

    /// <summary>0-based offset into the expression text where the problem was found.</summary>
    public int Position { get; }
}
