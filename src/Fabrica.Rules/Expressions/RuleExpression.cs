using System.Diagnostics.CodeAnalysis;

namespace Fabrica.Rules;

/// <summary>
/// A parsed, type-checked expression over tag values (docs/rules.md, "Expressions"): numbers, booleans, strings,
/// tags (<c>voltage</c>, <c>[inlet temp]</c>), <c>+ - * / %</c>, comparisons, <c>&amp;&amp; || !</c>, parentheses
/// and <c>abs min max sqrt round clamp</c>. Evaluation reads one value per tag, in the order of <see cref="Tags"/>,
/// and allocates nothing (except a string result's value, which is an existing string).
/// </summary>
public sealed class RuleExpression
{
    private readonly ExpressionNode _root;

    private RuleExpression(string text, ExpressionNode root, IReadOnlyList<string> tags)
    {
        Text = text;
        _root = root;
        Tags = tags;
    }

    public string Text { get; }

    /// <summary>The tags the expression reads: evaluation takes their values in this order.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>True when the expression is a condition (a comparison, a logical operator, a boolean, or a bare tag).</summary>
    public bool IsBoolean => _root.Type is ExpressionType.Bool or ExpressionType.Any;

    internal ExpressionNode Root => _root;

    /// <summary>Parses <paramref name="text"/>; any tag name is accepted and given the next slot.</summary>
    /// <exception cref="RuleExpressionException">The text is not a valid expression; the exception gives the position.</exception>
    public static RuleExpression Parse(string text)
    {
        var scope = ExpressionScope.Open();
        var root = ExpressionParser.Parse(text, scope);
        return new RuleExpression(text, root, scope.Tags);
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out RuleExpression? expression, [NotNullWhen(false)] out RuleExpressionException? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (RuleExpressionException e)
        {
            expression = null;
            error = e;
            return false;
        }
    }

    /// <summary>Parses within a rule: tags resolve to the slots of the rule's scope; others are errors.</summary>
    internal static RuleExpression Parse(string text, ExpressionScope scope) => new(text, ExpressionParser.Parse(text, scope), scope.Tags);

    /// <summary>Evaluates as a condition: numbers are true when non-zero, strings and missing values are false.</summary>
    public bool IsTrue(ReadOnlySpan<SampleValue> values) => _root.Truth(values);

    /// <summary>Evaluates as a number: booleans are 0 or 1, strings and missing values NaN.</summary>
    public double EvaluateNumber(ReadOnlySpan<SampleValue> values) => _root.Number(values);

    /// <summary>Evaluates to a sample value of the expression's own type (a bare tag yields that tag's value).</summary>
    public SampleValue Evaluate(ReadOnlySpan<SampleValue> values) => _root.Value(values);

    public override string ToString() => Text;
}
