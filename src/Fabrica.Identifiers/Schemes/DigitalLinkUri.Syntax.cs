using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Schemes;

public sealed partial record DigitalLinkUri
{
    /// <summary>
    /// Primary keys and the qualifier sequences each allows, in order (GS1 Digital Link URI Syntax 1.4 §4.2/§4.3 and its
    /// ABNF path rules): every qualifier is optional, but those present keep this order.
    /// </summary>
    public static readonly FrozenDictionary<string, string[][]> PrimaryKeys = new Dictionary<string, string[][]>
    {
        ["01"] = [["22", "10", "21"], ["235"]],
        ["8006"] = [["22", "10", "21"]],
        ["8013"] = [],
        ["8010"] = [["8011"]],
        ["414"] = [["254"], ["7040"]],
        ["417"] = [["7040"]],
        ["8017"] = [["8019"]],
        ["8018"] = [["8019"]],
        ["255"] = [],
        ["00"] = [],
        ["253"] = [],
        ["401"] = [],
        ["402"] = [],
        ["8003"] = [],
        ["8004"] = [["7040"]],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Path segments are numeric AIs only: the convenience alphas of URI Syntax 1.0–1.2 (/gtin/…) were removed in 1.3.

    private static bool IsAiKey(string key) => key.Length is >= 2 and <= 4 && key.All(char.IsAsciiDigit);

    /// <summary>The rightmost primary-key segment from which the rest of the path is AI/value pairs (a custom path may precede it).</summary>
    private static int FindPrimaryKey(string[] segments)
    {
        for (var i = segments.Length - 2; i >= 1; i -= 2)
        {
            if (PrimaryKeys.ContainsKey(segments[i]))
                return i;
        }
        return -1;
    }

    private static bool TryReadKeyPath(string[] segments, int start, out Gs1Element primary, out List<Gs1Element> qualifiers, [NotNullWhen(false)] out string? error)
    {
        qualifiers = [];
        var ai = segments[start];
        primary = new Gs1Element(ai, Decode(segments[start + 1]));
        if (primary.Value.Length == 0)
        {
            error = $"The value of AI ({ai}) is empty";
            return false;
        }
        if (ai == "01" && Gs1Keys.TryParseGtin(primary.Value, out var gtin14, out _))
            primary = primary with { Value = gtin14 };
        if (Gs1Keys.Problem(ai, primary.Value) is { } problem)
        {
            error = problem;
            return false;
        }
        var sequences = PrimaryKeys[ai];
        string[]? sequence = null;
        var position = 0;
        for (var i = start + 2; i < segments.Length; i += 2)
        {
            var qualifier = segments[i];
            sequence ??= sequences.FirstOrDefault(s => s.Contains(qualifier));
            var at = sequence is null ? -1 : Array.IndexOf(sequence, qualifier, position);
            if (at < 0)
            {
                error = sequence is not null && sequence.Contains(qualifier)
                    ? $"Qualifier ({qualifier}) is out of order: after ({ai}) the order is {string.Join(", ", sequence.Select(s => "(" + s + ")"))}"
                    : $"'{segments[i]}' is not a key qualifier of AI ({ai})";
                return false;
            }
            position = at + 1;
            var value = Decode(segments[i + 1]);
            if (value.Length == 0 || Gs1ApplicationIdentifiers.Find(qualifier)!.Problem(value) is { } bad)
            {
                error = value.Length == 0 ? $"The value of AI ({qualifier}) is empty" : Gs1ApplicationIdentifiers.Find(qualifier)!.Problem(value)!;
                return false;
            }
            qualifiers.Add(new Gs1Element(qualifier, value));
        }
        error = null;
        return true;
    }

    private static bool TryReadQuery(string? query, out List<KeyValuePair<string, string>> parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = [];
        error = null;
        if (string.IsNullOrEmpty(query))
            return true;
        foreach (var pair in query.Split('&', ';'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"Query parameter '{pair}' is not key=value";
                return false;
            }
            var key = Decode(pair[..eq]);
            var value = Decode(pair[(eq + 1)..].Replace('+', ' '));
            if (key.All(char.IsAsciiDigit))
            {
                var definition = Gs1ApplicationIdentifiers.Find(key);
                var problem = definition is null ? $"Query parameter '{key}' is not a known AI" : definition.Problem(value);
                if (problem is not null)
                {
                    error = problem;
                    return false;
                }
            }
            parameters.Add(KeyValuePair.Create(key, value));
        }
        return true;
    }

    private static string Decode(string segment)
    {
        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return "\0";
        }
    }

    private static string FormatPath(Gs1Element primary, IReadOnlyList<Gs1Element> qualifiers)
    {
        var path = new StringBuilder();
        foreach (var element in qualifiers.Prepend(primary))
            path.Append('/').Append(element.Ai).Append('/').Append(EncodeValue(element.Value));
        return path.ToString();
    }

    /// <summary>Percent-encodes every character outside RFC 3986's unreserved set (URI Syntax §4.8: "/" as %2F and so on).</summary>
    public static string EncodeValue(string value) => Uri.EscapeDataString(value);
}
