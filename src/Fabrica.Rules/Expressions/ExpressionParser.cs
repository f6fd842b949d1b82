namespace Fabrica.Rules;

/// <summary>
/// Recursive-descent parser with precedence climbing. Precedence, lowest first: <c>||</c>, <c>&amp;&amp;</c>,
/// <c>== !=</c>, <c>&lt; &lt;= &gt; &gt;=</c>, <c>+ -</c>, <c>* / %</c>, unary <c>! -</c>; binary operators
/// associate to the left. Types are checked as nodes are built, so errors point at the offending operator.
/// Every failure is a <see cref="RuleExpressionException"/>; recursion is bounded by <see cref="ExpressionLimits.MaxDepth"/>.
/// </summary>
internal ref struct ExpressionParser
{
    private readonly string _source;
    private readonly ExpressionScope _scope;
    private ExpressionLexer _lexer;
    private ExpressionToken _current;

    private ExpressionParser(string source, ExpressionScope scope)
    {
        _source = source;
        _scope = scope;
        _lexer = new ExpressionLexer(source);
        _current = default;
    }

    public static ExpressionNode Parse(string source, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length > ExpressionLimits.MaxLength)
            throw new RuleExpressionException($"Expression is longer than {ExpressionLimits.MaxLength} characters", ExpressionLimits.MaxLength);
        var parser = new ExpressionParser(source, scope);
        parser.Advance();
        if (parser._current.Kind == TokenKind.End)
            throw new RuleExpressionException("Empty expression", 0);
        var root = parser.ParseBinary(0, 0);
        if (parser._current.Kind != TokenKind.End)
            throw parser.Unexpected("an operator or the end of the expression");
        return root;
    }

    private void Advance() => _current = _lexer.Next();

    private ExpressionNode ParseBinary(int minPrecedence, int depth)
    {
        var left = ParseUnary(depth);
        while (true)
        {
            var op = _current;
            var precedence = Precedence(op.Kind);
            if (precedence < minPrecedence)
                return left;
            Advance();
            var right = ParseBinary(precedence + 1, depth + 1);
            left = Checked(Binary(op, left, right));
        }
    }

    private ExpressionNode ParseUnary(int depth)
    {
        if (depth > ExpressionLimits.MaxDepth)
            throw new RuleExpressionException($"Expression nests deeper than {ExpressionLimits.MaxDepth} levels", _current.Position);
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.Minus:
                Advance();
                var negated = ParseUnary(depth + 1);
                return Checked(new NegateNode(RequireNumber(negated, "'-'", "its operand"), token.Position));
            case TokenKind.Bang:
                Advance();
                var operand = ParseUnary(depth + 1);
                return Checked(new NotNode(RequireBool(operand, "'!'", "its operand"), token.Position));
            case TokenKind.Plus:
                throw new RuleExpressionException("Unary '+' is not supported", token.Position);
            default:
                return ParsePrimary(depth);
        }
    }

    private ExpressionNode ParsePrimary(int depth)
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return new NumberLiteral(token.Number, token.Position);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new BoolLiteral(token.Kind == TokenKind.True, token.Position);
            case TokenKind.String:
                Advance();
                return new StringLiteral(token.Text!, token.Position);
            case TokenKind.QuotedTag:
                Advance();
                return Tag(token);
            case TokenKind.Identifier:
                Advance();
                return _current.Kind == TokenKind.LeftParen ? Call(token, depth) : Tag(token);
            case TokenKind.LeftParen:
                Advance();
                var inner = ParseBinary(0, depth + 1);
                Expect(TokenKind.RightParen, $"')' to close '(' at position {token.Position}");
                return inner;
            default:
                throw Unexpected("a number, a tag, a string, 'true', 'false', '(' or a function");
        }
    }

    private ExpressionNode Tag(ExpressionToken token)
    {
        var name = token.Text!;
        if (name.Length == 0)
            throw new RuleExpressionException("Empty tag name", token.Position);
        if (!_scope.TryResolve(name, out var slot))
            throw new RuleExpressionException($"Unknown tag '{name}': the rule's scope does not list it", token.Position);
        return new TagReference(name, slot, token.Position);
    }

    private FunctionNode Call(ExpressionToken name, int depth)
    {
        if (!FunctionNode.TryLookup(name.Text!, out var function, out var min, out var max))
            throw new RuleExpressionException($"Unknown function '{name.Text}' (known: abs, sqrt, round, min, max, clamp)", name.Position);
        Advance(); // '('
        var arguments = new List<ExpressionNode>();
        if (_current.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                if (arguments.Count == max)
                    throw new RuleExpressionException($"'{name.Text}' takes at most {max} argument{(max == 1 ? "" : "s")}", _current.Position);
                var argument = ParseBinary(0, depth + 1);
                arguments.Add(RequireNumber(argument, $"'{name.Text}'", $"argument {arguments.Count + 1}"));
                if (_current.Kind != TokenKind.Comma)
                    break;
                Advance();
            }
        }
        Expect(TokenKind.RightParen, $"')' to close the call of '{name.Text}' at position {name.Position}");
        if (arguments.Count < min)
            throw new RuleExpressionException($"'{name.Text}' takes {(min == max ? "" : "at least ")}{min} argument{(min == 1 ? "" : "s")}, not {arguments.Count}", name.Position);
        return Checked(new FunctionNode(function, [.. arguments], name.Position));
    }

    private ExpressionNode Binary(ExpressionToken op, ExpressionNode left, ExpressionNode right)
    {
        var symbol = $"'{_source.Substring(op.Position, op.Length)}'";
        var at = op.Position;
        switch (op.Kind)
        {
            case TokenKind.OrOr or TokenKind.AndAnd:
                return new LogicalNode(op.Kind == TokenKind.AndAnd, RequireBool(left, symbol, "its left operand"), RequireBool(right, symbol, "its right operand"), at);
            case TokenKind.EqualEqual or TokenKind.BangEqual:
                return Equality(op.Kind == TokenKind.BangEqual, left, right, symbol, at);
            case TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual:
                var comparison = op.Kind switch
                {
                    TokenKind.Less => ComparisonOperator.Less,
                    TokenKind.LessEqual => ComparisonOperator.LessOrEqual,
                    TokenKind.Greater => ComparisonOperator.Greater,
                    _ => ComparisonOperator.GreaterOrEqual,
                };
                return new NumericComparisonNode(comparison, RequireNumber(left, symbol, "its left operand"), RequireNumber(right, symbol, "its right operand"), at);
            default:
                var arithmetic = op.Kind switch
                {
                    TokenKind.Plus => ArithmeticOperator.Add,
                    TokenKind.Minus => ArithmeticOperator.Subtract,
                    TokenKind.Star => ArithmeticOperator.Multiply,
                    TokenKind.Slash => ArithmeticOperator.Divide,
                    _ => ArithmeticOperator.Remainder,
                };
                return new ArithmeticNode(arithmetic, RequireNumber(left, symbol, "its left operand"), RequireNumber(right, symbol, "its right operand"), at);
        }
    }

    private static ExpressionNode Equality(bool negate, ExpressionNode left, ExpressionNode right, string symbol, int at)
    {
        var (l, r) = (left.Type, right.Type);
        if (l == ExpressionType.String || r == ExpressionType.String)
        {
            if (l is ExpressionType.Number or ExpressionType.Bool || r is ExpressionType.Number or ExpressionType.Bool)
                throw new RuleExpressionException($"{symbol} compares a string with a {Describe(l == ExpressionType.String ? r : l)}", at);
            return new EqualityNode(EqualityMode.Text, negate, l == ExpressionType.String ? left : right, l == ExpressionType.String ? right : left, at);
        }
        if (l == ExpressionType.Bool || r == ExpressionType.Bool)
        {
            if (l == ExpressionType.Number || r == ExpressionType.Number)
                throw new RuleExpressionException($"{symbol} compares a boolean with a number", at);
            return new EqualityNode(EqualityMode.Truth, negate, left, right, at);
        }
        if (l == ExpressionType.Any && r == ExpressionType.Any)
            return new EqualityNode(EqualityMode.Dynamic, negate, left, right, at);
        return new NumericComparisonNode(negate ? ComparisonOperator.NotEqual : ComparisonOperator.Equal, left, right, at);
    }

    private static ExpressionNode RequireNumber(ExpressionNode node, string symbol, string which) =>
        node.Type is ExpressionType.Number or ExpressionType.Any
            ? node
            : throw new RuleExpressionException($"{symbol} needs a number, but {which} is a {Describe(node.Type)}", node.Position);

    private static ExpressionNode RequireBool(ExpressionNode node, string symbol, string which) =>
        node.Type is ExpressionType.Bool or ExpressionType.Any
            ? node
            : throw new RuleExpressionException($"{symbol} needs a boolean, but {which} is a {Describe(node.Type)}", node.Position);

    private static T Checked<T>(T node)
        where T : ExpressionNode =>
        node.Depth > ExpressionLimits.MaxDepth
            ? throw new RuleExpressionException($"Expression nests deeper than {ExpressionLimits.MaxDepth} levels", node.Position)
            : node;

    internal static string Describe(ExpressionType type) => type switch
    {
        ExpressionType.Number => "number",
        ExpressionType.Bool => "boolean",
        ExpressionType.String => "string",
        _ => "tag",
    };

    private static int Precedence(TokenKind kind) => kind switch
    {
        TokenKind.OrOr => 1,
        TokenKind.AndAnd => 2,
        TokenKind.EqualEqual or TokenKind.BangEqual => 3,
        TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater or TokenKind.GreaterEqual => 4,
        TokenKind.Plus or TokenKind.Minus => 5,
        TokenKind.Star or TokenKind.Slash or TokenKind.Percent => 6,
        _ => -1,
    };

    private void Expect(TokenKind kind, string what)
    {
        if (_current.Kind != kind)
            throw Unexpected(what);
        Advance();
    }

    private readonly RuleExpressionException Unexpected(string expected) =>
        new($"Expected {expected} but found {_current.Describe(_source)}", _current.Position);
}
