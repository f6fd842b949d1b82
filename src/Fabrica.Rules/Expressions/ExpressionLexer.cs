using System.Globalization;
using System.Text;

namespace Fabrica.Rules;

/// <summary>
/// Splits an expression into tokens. Names are ASCII letters, digits, '_' and '.' starting with a letter or '_';
/// other tag names are written in brackets (<c>[inlet temp]</c>, <c>[pump-1/temperature]</c>; <c>]]</c> for a ']').
/// Strings are in single or double quotes with the quote doubled inside.
/// </summary>
internal ref struct ExpressionLexer(string source)
{
    private readonly string _source = source;
    private int _position;

    public ExpressionToken Next()
    {
        var s = _source;
        while (_position < s.Length && s[_position] is ' ' or '\t' or '\r' or '\n')
            _position++;
        var start = _position;
        if (start >= s.Length)
            return new(TokenKind.End, start, 0);
        var c = s[start];
        _position++;
        switch (c)
        {
            case '(': return new(TokenKind.LeftParen, start, 1);
            case ')': return new(TokenKind.RightParen, start, 1);
            case ',': return new(TokenKind.Comma, start, 1);
            case '+': return new(TokenKind.Plus, start, 1);
            case '-': return new(TokenKind.Minus, start, 1);
            case '*': return new(TokenKind.Star, start, 1);
            case '/': return new(TokenKind.Slash, start, 1);
            case '%': return new(TokenKind.Percent, start, 1);
            case '!': return Pair('=', TokenKind.BangEqual, TokenKind.Bang, start);
            case '<': return Pair('=', TokenKind.LessEqual, TokenKind.Less, start);
            case '>': return Pair('=', TokenKind.GreaterEqual, TokenKind.Greater, start);
            case '=':
                return Follows('=') ? new(TokenKind.EqualEqual, start, 2) : throw Error("'=' is not an operator; compare with '=='", start);
            case '&':
                return Follows('&') ? new(TokenKind.AndAnd, start, 2) : throw Error("'&' is not an operator; use '&&'", start);
            case '|':
                return Follows('|') ? new(TokenKind.OrOr, start, 2) : throw Error("'|' is not an operator; use '||'", start);
            case '\'' or '"': return Quoted(c, TokenKind.String, start, "string");
            case '[': return Quoted(']', TokenKind.QuotedTag, start, "tag name");
        }
        if (char.IsAsciiDigit(c) || (c == '.' && _position < s.Length && char.IsAsciiDigit(s[_position])))
            return Number(start);
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_position < s.Length && (char.IsAsciiLetterOrDigit(s[_position]) || s[_position] is '_' or '.'))
                _position++;
            var name = s[start.._position];
            return name switch
            {
                "true" => new(TokenKind.True, start, name.Length),
                "false" => new(TokenKind.False, start, name.Length),
                _ => new(TokenKind.Identifier, start, name.Length, Text: name),
            };
        }
        throw Error(char.IsControl(c) ? $"Unexpected control character U+{(int)c:X4}" : $"Unexpected character '{c}'", start);
    }

    private bool Follows(char next)
    {
        if (_position < _source.Length && _source[_position] == next)
        {
            _position++;
            return true;
        }
        return false;
    }

    private ExpressionToken Pair(char next, TokenKind two, TokenKind one, int start) =>
        Follows(next) ? new(two, start, 2) : new(one, start, 1);

    private ExpressionToken Number(int start)
    {
        var s = _source;
        while (_position < s.Length && char.IsAsciiDigit(s[_position]))
            _position++;
        if (_position < s.Length && s[_position] == '.')
        {
            _position++;
            while (_position < s.Length && char.IsAsciiDigit(s[_position]))
                _position++;
        }
        if (_position < s.Length && s[_position] is 'e' or 'E')
        {
            var exponent = _position + 1;
            if (exponent < s.Length && s[exponent] is '+' or '-')
                exponent++;
            if (exponent >= s.Length || !char.IsAsciiDigit(s[exponent]))
                throw Error("A number's exponent needs digits", _position);
            _position = exponent;
            while (_position < s.Length && char.IsAsciiDigit(s[_position]))
                _position++;
        }
        if (_position < s.Length && (char.IsAsciiLetter(s[_position]) || s[_position] == '_'))
            throw Error($"Unexpected '{s[_position]}' after a number", _position);
        var text = s.AsSpan(start, _position - start);
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            || double.IsInfinity(value))
            throw Error($"'{text}' is not a finite number", start);
        return new(TokenKind.Number, start, _position - start, value);
    }

    private ExpressionToken Quoted(char close, TokenKind kind, int start, string what)
    {
        var s = _source;
        StringBuilder? escaped = null;
        var segment = _position;
        while (true)
        {
            if (_position >= s.Length)
                throw Error($"Unterminated {what}: missing {close}", start);
            if (s[_position] != close)
            {
                _position++;
                continue;
            }
            if (_position + 1 < s.Length && s[_position + 1] == close)
            {
                escaped ??= new StringBuilder();
                escaped.Append(s, segment, _position + 1 - segment);
                _position += 2;
                segment = _position;
                continue;
            }
            var text = escaped is null ? s[segment.._position] : escaped.Append(s, segment, _position - segment).ToString();
            _position++;
            return new(kind, start, _position - start, Text: text);
        }
    }

    private static RuleExpressionException Error(string reason, int position) => new(reason, position);
}
