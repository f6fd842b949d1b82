using System.Linq.Expressions;
using Fabrica.Rules;
using ExpressionType = Fabrica.Rules.ExpressionType;

namespace Fabrica.Benchmarks.Rules;

/// <summary>
/// Compiles a parsed rule expression to a delegate with System.Linq.Expressions, for comparison with the
/// interpreter only (numbers, tags, arithmetic, comparisons, logic, abs/sqrt/min/max).
/// </summary>
internal static class LinqExpressionCompiler
{
    public static Func<SampleValue[], bool> CompileCondition(RuleExpression expression)
    {
        var values = Expression.Parameter(typeof(SampleValue[]), "values");
        return Expression.Lambda<Func<SampleValue[], bool>>(Truth(expression.Root, values), values).Compile();
    }

    private static Expression Number(ExpressionNode node, ParameterExpression values) => node switch
    {
        NumberLiteral literal => Expression.Constant(literal.Constant),
        TagReference tag => Expression.Call(typeof(TagReference).GetMethod(nameof(TagReference.ToNumber))!, Expression.ArrayIndex(values, Expression.Constant(tag.Slot))),
        NegateNode negate => Expression.Negate(Number(negate.Operand, values)),
        ArithmeticNode arithmetic => arithmetic.Operator switch
        {
            ArithmeticOperator.Add => Expression.Add(Number(arithmetic.Children[0], values), Number(arithmetic.Children[1], values)),
            ArithmeticOperator.Subtract => Expression.Subtract(Number(arithmetic.Children[0], values), Number(arithmetic.Children[1], values)),
            ArithmeticOperator.Multiply => Expression.Multiply(Number(arithmetic.Children[0], values), Number(arithmetic.Children[1], values)),
            ArithmeticOperator.Divide => Expression.Divide(Number(arithmetic.Children[0], values), Number(arithmetic.Children[1], values)),
            _ => Expression.Modulo(Number(arithmetic.Children[0], values), Number(arithmetic.Children[1], values)),
        },
        FunctionNode { Function: ExpressionFunction.Abs or ExpressionFunction.Sqrt } f =>
            Expression.Call(typeof(Math).GetMethod(f.Function.ToString(), [typeof(double)])!, Number(f.Children[0], values)),
        FunctionNode { Function: ExpressionFunction.Min or ExpressionFunction.Max } f => f.Children.ToArray()
            .Select(c => Number(c, values))
            .Aggregate((a, b) => Expression.Call(typeof(Math).GetMethod(f.Function.ToString(), [typeof(double), typeof(double)])!, a, b)),
        _ when node.Type == ExpressionType.Bool => Expression.Condition(Truth(node, values), Expression.Constant(1.0), Expression.Constant(0.0)),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static Expression Truth(ExpressionNode node, ParameterExpression values) => node switch
    {
        BoolLiteral literal => Expression.Constant(literal.Constant),
        NotNode not => Expression.Not(Truth(not.Operand, values)),
        LogicalNode { IsAnd: true } logical => Expression.AndAlso(Truth(logical.Children[0], values), Truth(logical.Children[1], values)),
        LogicalNode logical => Expression.OrElse(Truth(logical.Children[0], values), Truth(logical.Children[1], values)),
        NumericComparisonNode comparison => Compare(comparison.Operator, Number(comparison.Children[0], values), Number(comparison.Children[1], values)),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static BinaryExpression Compare(ComparisonOperator op, Expression left, Expression right) => op switch
    {
        ComparisonOperator.Less => Expression.LessThan(left, right),
        ComparisonOperator.LessOrEqual => Expression.LessThanOrEqual(left, right),
        ComparisonOperator.Greater => Expression.GreaterThan(left, right),
        ComparisonOperator.GreaterOrEqual => Expression.GreaterThanOrEqual(left, right),
        ComparisonOperator.Equal => Expression.Equal(left, right),
        _ => Expression.NotEqual(left, right),
    };
}
