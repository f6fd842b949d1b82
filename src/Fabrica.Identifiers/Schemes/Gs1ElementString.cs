using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Schemes;

/// <summary>One AI and its value.</summary>
public readonly record struct Gs1Element(string Ai, string Value)
{
    public override string ToString() => "(" + Ai + ")" + Value;
}

/// <summary>
/// A GS1 element string (General Specifications §7.8): a sequence of AIs and values. Two written forms: the
/// human-readable bracketed form <c>(01)09506000134352(10)ABC</c>, and the barcode form where values of AIs without a
/// predefined length (Figure 7.8.5-1) end with FNC1, transmitted as the group separator GS (0x1D), optionally after a
/// symbology identifier such as <c>]d2</c> or <c>]C1</c> (§7.8.5.1).
/// </summary>
public sealed class Gs1ElementString
{
    public const char GroupSeparator = '\u001D';

    public Gs1ElementString(IReadOnlyList<Gs1Element> elements) => Elements = elements;

    public IReadOnlyList<Gs1Element> Elements { get; }

    public string? this[string ai] => Elements.FirstOrDefault(e => e.Ai == ai).Value;

    public static Gs1ElementString Parse(string text) =>
        TryParse(text, out var parsed, out var error) ? parsed : throw new FormatException(error);

    /// <summary>Parses either written form and checks every value against its AI (format, length, check digit).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Gs1ElementString? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "An element string cannot be empty";
            return false;
        }
        var elements = new List<Gs1Element>();
        error = text[0] == '(' ? ReadBracketed(text, elements) : ReadSeparated(text, elements);
        if (error is null && elements.Count == 0)
            error = "An element string needs at least one AI";
        if (error is not null)
            return false;
        foreach (var element in elements)
        {
            if (Gs1ApplicationIdentifiers.Find(element.Ai)!.Problem(element.Value) is { } problem)
            {
                error = problem;
                return false;
            }
        }
        var repeated = elements.GroupBy(e => e.Ai).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null && repeated.Select(e => e.Value).Distinct().Count() > 1)
        {
            error = $"AI ({repeated.Key}) appears twice with different values";
            return false;
        }
        parsed = new Gs1ElementString(elements);
        return true;
    }

    private static string? ReadBracketed(string text, List<Gs1Element> elements)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '(')
                return $"Expected '(' at position {i + 1}";
            var close = text.IndexOf(')', i);
            if (close < 0)
                return "Unclosed '(' in element string";
            var ai = text[(i + 1)..close];
            if (Gs1ApplicationIdentifiers.Find(ai) is null)
                return $"Unknown AI ({ai})";
            // A value runs to the next "(AI)" with a known AI: CSET 82 itself contains brackets.
            var end = close + 1;
            while (end < text.Length && !StartsWithBracketedAi(text, end))
                end++;
            elements.Add(new Gs1Element(ai, text[(close + 1)..end]));
            i = end;
        }
        return null;
    }

    private static bool StartsWithBracketedAi(string text, int at)
    {
        if (text[at] != '(')
            return false;
        var close = text.IndexOf(')', at);
        return close > at + 2 && close - at - 1 <= 4 && Gs1ApplicationIdentifiers.Find(text[(at + 1)..close]) is not null;
    }

    private static string? ReadSeparated(string text, List<Gs1Element> elements)
    {
        var span = text.AsSpan();
        if (span.StartsWith("]") && span.Length >= 3)
            span = span[3..]; // symbology identifier, e.g. ]C1 (GS1-128), ]d2 (DataMatrix), ]Q3 (QR), ]e0 (DataBar)
        while (!span.IsEmpty && span[0] == GroupSeparator)
            span = span[1..]; // a leading FNC1 marks the symbol as GS1
        while (!span.IsEmpty)
        {
            var definition = Gs1ApplicationIdentifiers.Match(span);
            if (definition is null)
                return $"No known AI at '{Truncate(span)}'";
            span = span[definition.Ai.Length..];
            int length;
            if (definition.PredefinedLength)
            {
                length = definition.MaxLength;
                if (span.Length < length)
                    return $"AI ({definition.Ai}) needs {length} characters";
            }
            else
            {
                var gs = span.IndexOf(GroupSeparator);
                length = gs < 0 ? span.Length : gs;
            }
            elements.Add(new Gs1Element(definition.Ai, span[..length].ToString()));
            span = span[length..];
            if (!span.IsEmpty && span[0] == GroupSeparator)
                span = span[1..];
        }
        return null;
    }

    private static string Truncate(ReadOnlySpan<char> span) => span.Length > 12 ? span[..12].ToString() + "…" : span.ToString();

    /// <summary>The bracketed, human-readable form.</summary>
    public string ToBracketed() => string.Concat(Elements.Select(e => e.ToString()));

    /// <summary>The barcode form: values of AIs without predefined length end with GS unless they come last.</summary>
    public string ToSeparated(string symbologyIdentifier = "")
    {
        var text = new StringBuilder(symbologyIdentifier);
        // Predefined-length AIs first need no separator; keep the given order otherwise (§7.8.5.2 recommends this).
        var ordered = Elements.Where(e => Gs1ApplicationIdentifiers.Find(e.Ai)!.PredefinedLength)
            .Concat(Elements.Where(e => !Gs1ApplicationIdentifiers.Find(e.Ai)!.PredefinedLength)).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            text.Append(ordered[i].Ai).Append(ordered[i].Value);
            if (i < ordered.Count - 1 && !Gs1ApplicationIdentifiers.Find(ordered[i].Ai)!.PredefinedLength)
                text.Append(GroupSeparator);
        }
        return text.ToString();
    }

    public override string ToString() => ToBracketed();
}
