namespace Fabrica.Rules.Tests.Expressions;

public sealed class ExpressionParserTests
{
    private static double Number(string text, params (string Tag, SampleValue Value)[] values)
    {
        var expression = RuleExpression.Parse(text);
        return expression.EvaluateNumber(Values(expression, values));
    }

    private static bool Truth(string text, params (string Tag, SampleValue Value)[] values)
    {
        var expression = RuleExpression.Parse(text);
        return expression.IsTrue(Values(expression, values));
    }

    private static SampleValue[] Values(RuleExpression expression, (string Tag, SampleValue Value)[] values) =>
        [.. expression.Tags.Select(t => values.Single(v => v.Tag == t).Value)];

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("100 / 10 / 5", 2)]
    [InlineData("7 % 4 * 2", 6)]
    [InlineData("-2 * 3", -6)]
    [InlineData("- -2", 2)]
    [InlineData("2 * -3 + 1", -5)]
    [InlineData("1e3 + .5", 1000.5)]
    [InlineData("abs(-3) + sqrt(16)", 7)]
    [InlineData("round(2.5) + round(-2.5)", 0)]
    [InlineData("round(3.14159, 2)", 3.14)]
    [InlineData("min(4, 2, 8) + max(1, 9, 3)", 11)]
    [InlineData("clamp(12, 0, 10) + clamp(-1, 0, 10) + clamp(5, 0, 10)", 15)]
    public void Arithmetic_follows_the_usual_precedence_and_left_associativity(string text, double expected) =>
        Assert.Equal(expected, Number(text), 9);

    [Theory]
    [InlineData("1 < 2 && 3 < 2 || true", true)]
    [InlineData("true || false && false", true)]
    [InlineData("!(1 < 2) || 2 > 1", true)]
    [InlineData("!true == false", true)]
    [InlineData("1 + 1 == 2 && 3 != 4", true)]
    [InlineData("1 < 2 == 2 < 3", true)]
    [InlineData("2 >= 2 && 2 <= 2 && !(2 > 2)", true)]
    public void Logic_binds_looser_than_comparison_and_and_binds_tighter_than_or(string text, bool expected) =>
        Assert.Equal(expected, Truth(text));

    [Fact]
    public void Tags_are_read_from_their_slots_in_order_of_first_use()
    {
        var expression = RuleExpression.Parse("voltage * current * 1.732 * pf > [rated power] && voltage > 0");
        Assert.Equal(["voltage", "current", "pf", "rated power"], expression.Tags);
        Assert.True(expression.IsTrue([400.0, 10.0, 0.9, 6000.0]));
        Assert.False(expression.IsTrue([400.0, 10.0, 0.9, 7000.0]));
    }

    [Fact]
    public void Quoted_tag_names_may_hold_spaces_slashes_and_doubled_brackets() =>
        Assert.Equal(["inlet temp", "pump-1/flow", "a]b"], RuleExpression.Parse("[inlet temp] + [pump-1/flow] + [a]]b]").Tags);

    [Fact]
    public void Strings_compare_with_string_tags_and_never_equal_numbers()
    {
        Assert.True(Truth("state == 'running'", ("state", "running")));
        Assert.True(Truth("state != \"running\"", ("state", "stopped")));
        Assert.False(Truth("state == 'running'", ("state", 1.0)));
        Assert.True(Truth("a == b", ("a", "x"), ("b", "x")));
        Assert.True(Truth("a == b", ("a", 2L), ("b", 2.0)));
        Assert.False(Truth("a == b", ("a", "2"), ("b", 2.0)));
        Assert.True(Truth("'it''s' == s", ("s", "it's")));
    }

    [Fact]
    public void Booleans_longs_and_missing_values_have_defined_numeric_and_truth_values()
    {
        Assert.Equal(2, Number("running + 1", ("running", true)));
        Assert.True(Truth("running && count > 2", ("running", true), ("count", 3L)));
        Assert.False(Truth("temperature > 0", ("temperature", default(SampleValue))));
        Assert.True(double.IsNaN(Number("temperature + 1", ("temperature", "hot"))));
        Assert.True(double.IsPositiveInfinity(Number("1 / 0")));
        Assert.True(double.IsNaN(Number("sqrt(-1)")));
    }

    [Theory]
    [InlineData("", 0, "Empty expression")]
    [InlineData("1 +", 3, "Expected a number")]
    [InlineData("(1 + 2", 6, "')' to close '(' at position 0")]
    [InlineData("1 + 2)", 5, "Expected an operator or the end")]
    [InlineData("temperature = 80", 12, "'=' is not an operator")]
    [InlineData("a & b", 2, "use '&&'")]
    [InlineData("1 + 'x'", 4, "'+' needs a number, but its right operand is a string")]
    [InlineData("!3", 1, "'!' needs a boolean, but its operand is a number")]
    [InlineData("true + 1", 0, "its left operand is a boolean")]
    [InlineData("sin(1)", 0, "Unknown function 'sin'")]
    [InlineData("clamp(1, 2)", 0, "'clamp' takes 3 arguments, not 2")]
    [InlineData("abs(1, 2)", 7, "'abs' takes at most 1 argument")]
    [InlineData("[inlet temp", 0, "Unterminated tag name")]
    [InlineData("'abc", 0, "Unterminated string")]
    [InlineData("1.5e", 3, "exponent needs digits")]
    [InlineData("12abc", 2, "Unexpected 'a' after a number")]
    [InlineData("x == 'a' == 1", 9, "compares a boolean with a number")]
    [InlineData("1 == 'a'", 2, "'==' compares a string with a number")]
    [InlineData("temperature # 3", 12, "Unexpected character '#'")]
    [InlineData("+1", 0, "Unary '+' is not supported")]
    [InlineData("[]", 0, "Empty tag name")]
    public void Errors_say_what_is_wrong_and_where(string text, int position, string reason)
    {
        var error = Assert.Throws<RuleExpressionException>(() => RuleExpression.Parse(text));
        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_an_error_not_a_stack_overflow()
    {
        var deep = new string('(', 10_000) + "1" + new string(')', 10_000);
        Assert.Throws<RuleExpressionException>(() => RuleExpression.Parse(deep[..ExpressionLimits.MaxLength]));
        var nots = new string('!', ExpressionLimits.MaxDepth + 5) + "true";
        Assert.Contains("deeper than", Assert.Throws<RuleExpressionException>(() => RuleExpression.Parse(nots)).Message, StringComparison.Ordinal);
        var chain = string.Join(" + ", Enumerable.Repeat("x", ExpressionLimits.MaxDepth + 5));
        Assert.Throws<RuleExpressionException>(() => RuleExpression.Parse(chain));
        Assert.Throws<RuleExpressionException>(() => RuleExpression.Parse(new string(' ', ExpressionLimits.MaxLength + 1)));
    }

    [Fact]
    public void Within_the_limits_a_long_expression_parses()
    {
        var chain = string.Join(" + ", Enumerable.Repeat("x", ExpressionLimits.MaxDepth - 1));
        Assert.Equal(ExpressionLimits.MaxDepth - 1, RuleExpression.Parse(chain).EvaluateNumber([1.0]));
    }
}
