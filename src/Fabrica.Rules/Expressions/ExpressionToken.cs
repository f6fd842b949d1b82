namespace Fabrica.Rules;

internal enum TokenKind
{
    End,
    Number,
    String,
    Identifier,
    QuotedTag,
    True,
    False,
    LeftParen,
    RightParen,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    AndAnd,
    OrOr,
    EqualEqual,
    BangEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

/// <summary>A token: its kind, where it starts, and for numbers, strings and names their value.</summary>
internal readonly record struct ExpressionToken(TokenKind Kind, int Position, int Length, double Number = 0, string? Text = null)
{
    public string Describe(string source) => Kind switch
    {
        TokenKind.End => "the end of the expression",
        TokenKind.String => "a string",
        TokenKind.Number => $"number '{source.Substring(Position, Length)}'",
        _ => $"'{source.Substring(Position, Length)}'",
    };
}
