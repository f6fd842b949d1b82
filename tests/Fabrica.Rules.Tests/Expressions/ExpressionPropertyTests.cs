using CsCheck;

namespace Fabrica.Rules.Tests.Expressions;

/// <summary>Generated input: valid expressions, their prefixes, and token soup.</summary>
public sealed class ExpressionPropertyTests
{
    private static readonly Gen<string> Atom = Gen.OneOf(
        Gen.Int[0, 1000].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Double[-1e6, 1e6].Select(d => Math.Abs(d).ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("temperature", "pressure", "[inlet temp]", "speed_rpm", "a.b"));

    private static Gen<string> Numeric(int depth) => depth == 0
        ? Atom
        : Gen.Frequency(
            (3, Atom),
            (3, Gen.Select(Numeric(depth - 1), Gen.OneOf("+", "-", "*", "/", "%"), Numeric(depth - 1), (a, op, b) => $"{a} {op} {b}")),
            (1, Numeric(depth - 1).Select(a => $"({a})")),
            (1, Numeric(depth - 1).Select(a => $"-{a}")),
            (1, Gen.Select(Gen.OneOf("abs", "sqrt", "round"), Numeric(depth - 1), (f, a) => $"{f}({a})")),
            (1, Gen.Select(Gen.OneOf("min", "max"), Numeric(depth - 1), Numeric(depth - 1), (f, a, b) => $"{f}({a}, {b})")),
            (1, Gen.Select(Numeric(depth - 1), Numeric(depth - 1), Numeric(depth - 1), (a, b, c) => $"clamp({a}, {b}, {c})")));

    private static Gen<string> Boolean(int depth) => depth == 0
        ? Gen.Select(Numeric(1), Gen.OneOf("<", "<=", ">", ">=", "==", "!="), Numeric(1), (a, op, b) => $"{a} {op} {b}")
        : Gen.Frequency(
            (2, Boolean(0)),
            (2, Gen.Select(Boolean(depth - 1), Gen.OneOf("&&", "||"), Boolean(depth - 1), (a, op, b) => $"{a} {op} {b}")),
            (1, Boolean(depth - 1).Select(a => $"!({a})")),
            (1, Gen.OneOf("true", "false", "running", "state == 'run'")));

    private static readonly SampleValue[] Values = [.. Enumerable.Range(0, 8).Select(i => SampleValue.FromDouble(i * 1.5 - 3))];

    [Fact]
    public void Generated_valid_expressions_parse_and_evaluate_without_throwing() =>
        Boolean(3).Sample(text =>
        {
            var expression = RuleExpression.Parse(text);
            Assert.True(expression.IsBoolean);
            _ = expression.IsTrue(Values.AsSpan(0, expression.Tags.Count));
            _ = expression.Evaluate(Values.AsSpan(0, expression.Tags.Count));
        }, iter: 2_000);

    [Fact]
    public void Every_prefix_of_a_valid_expression_either_parses_or_fails_with_the_typed_error() =>
        Boolean(2).Sample(text =>
        {
            for (var length = 0; length <= text.Length; length++)
            {
                var prefix = text[..length];
                if (RuleExpression.TryParse(prefix, out var expression, out var error))
                    _ = expression.IsTrue(Values.AsSpan(0, expression.Tags.Count));
                else
                    Assert.InRange(error.Position, 0, Math.Max(prefix.Length, 0));
            }
        }, iter: 300);

    [Fact]
    public void Random_text_never_throws_anything_but_the_typed_error() =>
        Gen.String.Sample(text => Parses(text), iter: 5_000);

    [Fact]
    public void Random_token_soup_never_throws_anything_but_the_typed_error() =>
        Gen.OneOf("(", ")", ",", "+", "-", "*", "/", "%", "!", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "=", "&",
                "1", "2.5", "1e9", "1e999", ".", "'s'", "\"", "'", "[t]", "[", "]", "true", "false", "x", "abs", "min", "clamp", "round", " ")
            .Array[0, 40]
            .Sample(tokens => Parses(string.Concat(tokens)), iter: 10_000);

    private static void Parses(string text)
    {
        try
        {
            var expression = RuleExpression.Parse(text);
            _ = expression.Evaluate(new SampleValue[expression.Tags.Count]);
        }
        catch (RuleExpressionException e)
        {
            Assert.InRange(e.Position, 0, Math.Max(text.Length, ExpressionLimits.MaxLength));
        }
    }
}
