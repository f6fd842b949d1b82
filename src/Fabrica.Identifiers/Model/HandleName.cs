using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Model;

/// <summary>
/// A handle <c>prefix/suffix</c> (RFC 3650 §3, RFC 3651 §2): a dotted hierarchical prefix (<c>88.100.12</c>, each
/// segment naming a child of the one before) and a suffix unique under it. Following Handle.Net, the prefix is
/// case-insensitive (ASCII letters compare and hash upper-cased, as CNRI's <c>Util.upperCasePrefix</c>) and the suffix
/// is case-sensitive. Prefix records live under the special prefix <c>0.NA</c>: <c>0.NA/88.100.12</c>.
/// </summary>
public readonly record struct HandleName
{
    /// <summary>RFC 3652 / Handle.Net limit on an encoded handle (<c>Common.MAX_HANDLE_LENGTH</c>).</summary>
    public const int MaxUtf8Length = 2048;

    /// <summary>The prefix of prefix records (RFC 3651 §3.1, "0.NA" naming authority).</summary>
    public const string PrefixAuthority = "0.NA";

    private HandleName(string prefix, string suffix)
    {
        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>The prefix, ASCII upper-cased (the canonical form).</summary>
    public string Prefix { get; }

    /// <summary>The suffix exactly as given.</summary>
    public string Suffix { get; }

    /// <summary>The canonical text: upper-cased prefix, '/', suffix. Two handles are the same exactly when these are equal.</summary>
    public override string ToString() => Prefix + "/" + Suffix;

    /// <summary>Is this a prefix record (<c>0.NA/&lt;prefix&gt;</c>)?</summary>
    public bool IsPrefixRecord => Prefix == PrefixAuthority;

    /// <summary>For <c>0.NA/88.100</c> the prefix it describes, <c>88.100</c>; otherwise null.</summary>
    public string? DescribedPrefix => IsPrefixRecord ? Suffix.ToUpperInvariant() : null;

    /// <summary>The prefix record of a prefix: <c>88.100.12</c> → <c>0.NA/88.100.12</c>.</summary>
    public static HandleName ForPrefix(string prefix) =>
        new(PrefixAuthority, NormalizePrefix(prefix) ?? throw new ArgumentException($"'{prefix}' is not a valid prefix.", nameof(prefix)));

    public static HandleName Parse(string text) =>
        TryParse(text, out var name, out var error) ? name : throw new ArgumentException(error, nameof(text));

    /// <summary>
    /// Parses and validates <c>prefix/suffix</c>: a non-empty prefix of dot-separated segments of ASCII letters, digits,
    /// '-' and '_' (no empty segment), a non-empty suffix of printable characters (it may contain '/'), at most
    /// <see cref="MaxUtf8Length"/> bytes of UTF-8 in all. Surrogate halves are refused: a handle is UTF-8 on the wire.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out HandleName name, [NotNullWhen(false)] out string? error)
    {
        name = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "A handle is required.";
            return false;
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            error = $"'{text}' has no '/': a handle is prefix/suffix.";
            return false;
        }
        var prefix = NormalizePrefix(text.AsSpan(0, slash));
        if (prefix is null)
        {
            error = $"'{text[..slash]}' is not a valid prefix: dot-separated segments of letters, digits, '-' or '_'.";
            return false;
        }
        var suffix = text[(slash + 1)..];
        if (!IsValidSuffix(suffix))
        {
            error = "The suffix must be non-empty printable text.";
            return false;
        }
        if (prefix == PrefixAuthority && NormalizePrefix(suffix) is null)
        {
            error = $"'{suffix}' is not a valid prefix for a 0.NA prefix record.";
            return false;
        }
        if (Encoding.UTF8.GetByteCount(text) > MaxUtf8Length)
        {
            error = $"A handle is at most {MaxUtf8Length} bytes of UTF-8.";
            return false;
        }
        // The described prefix of a prefix record is case-insensitive too, so 0.NA/abc and 0.NA/ABC are one record.
        name = new HandleName(prefix, prefix == PrefixAuthority ? suffix.ToUpperInvariant() : suffix);
        error = null;
        return true;
    }

    /// <summary>Validates a bare prefix and returns its canonical (upper-cased) form, or null.</summary>
    public static string? NormalizePrefix(ReadOnlySpan<char> prefix)
    {
        if (prefix.IsEmpty || prefix.Length > 255)
            return null;
        var segmentLength = 0;
        foreach (var c in prefix)
        {
            if (c == '.')
            {
                if (segmentLength == 0)
                    return null;
                segmentLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                segmentLength++;
            }
            else
            {
                return null;
            }
        }
        return segmentLength == 0 ? null : prefix.ToString().ToUpperInvariant();
    }

    /// <summary>The ancestors of a prefix, nearest first: <c>88.100.12</c> → <c>88.100</c>, <c>88</c>.</summary>
    public static IEnumerable<string> Ancestors(string prefix)
    {
        for (var dot = prefix.LastIndexOf('.'); dot > 0; dot = prefix.LastIndexOf('.', dot - 1))
            yield return prefix[..dot];
    }

    /// <summary>Is <paramref name="prefix"/> equal to <paramref name="ancestor"/> or under it (on a dot boundary)?</summary>
    public static bool IsUnder(string prefix, string ancestor) =>
        prefix.Equals(ancestor, StringComparison.Ordinal) ||
        (prefix.Length > ancestor.Length && prefix[ancestor.Length] == '.' && prefix.StartsWith(ancestor, StringComparison.Ordinal));

    private static bool IsValidSuffix(string suffix)
    {
        if (suffix.Length == 0)
            return false;
        for (var i = 0; i < suffix.Length; i++)
        {
            var c = suffix[i];
            if (char.IsControl(c))
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= suffix.Length || !char.IsLowSurrogate(suffix[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
