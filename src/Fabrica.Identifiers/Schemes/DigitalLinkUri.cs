using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Fabrica.Identifiers.Schemes;

/// <summary>
/// A GS1 Digital Link URI (GS1 Digital Link: URI Syntax 1.4): <c>stem/{primary key AI}/{value}[/{qualifier AI}/{value}]…
/// [?{AI or name}={value}&amp;…]</c>. The stem is scheme, host and any custom path. Qualifiers follow the order the standard
/// fixes per primary key (§4.2: GTIN → CPV (22), lot (10), serial (21)); GTINs are written as 14 digits. Query parameters
/// with a numeric key are data attributes and must be valid AIs; other keys (linkType, context, …) are passed through.
/// </summary>
public sealed partial record DigitalLinkUri(string Stem, Gs1Element PrimaryKey, IReadOnlyList<Gs1Element> Qualifiers, IReadOnlyList<KeyValuePair<string, string>> Query)
{
    /// <summary>The canonical resolver used when an identifier is formatted without a stem of its own.</summary>
    public const string DefaultStem = "https://id.gs1.org";

    /// <summary>Data attributes: the query parameters whose keys are AIs.</summary>
    public IEnumerable<Gs1Element> DataAttributes => Query.Where(p => IsAiKey(p.Key)).Select(p => new Gs1Element(p.Key, p.Value));

    /// <summary>The identifying path, e.g. <c>/01/09506000134352/10/ABC</c>: primary key and qualifiers, values percent-encoded.</summary>
    public string Path => FormatPath(PrimaryKey, Qualifiers);

    /// <summary>
    /// The paths to try from the most specific to the least (GS1-Conformant resolver §5.7, "walking up the tree"):
    /// serial, then lot, then the bare key.
    /// </summary>
    public IEnumerable<string> WalkUp()
    {
        for (var n = Qualifiers.Count; n >= 0; n--)
            yield return FormatPath(PrimaryKey, Qualifiers.Take(n).ToList());
    }

    /// <summary>The element string of primary key, qualifiers and AI data attributes.</summary>
    public Gs1ElementString ToElementString() => new([PrimaryKey, .. Qualifiers, .. DataAttributes]);

    /// <summary>The key and qualifiers only: what identifies the object (no data attributes).</summary>
    public Gs1ElementString IdentifyingElements => new([PrimaryKey, .. Qualifiers]);

    public override string ToString()
    {
        var text = new StringBuilder(Stem.TrimEnd('/')).Append(Path);
        for (var i = 0; i < Query.Count; i++)
            text.Append(i == 0 ? '?' : '&').Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
        return text.ToString();
    }

    /// <summary>A Digital Link URI for an element string that contains a primary key (its qualifiers go to the path, other AIs to the query).</summary>
    public static DigitalLinkUri FromElementString(Gs1ElementString elements, string stem = DefaultStem)
    {
        var primary = elements.Elements.FirstOrDefault(e => PrimaryKeys.ContainsKey(e.Ai));
        if (primary.Ai is null)
            throw new FormatException("The element string has no GS1 Digital Link primary key");
        if (primary.Ai == "01")
            primary = primary with { Value = primary.Value.PadLeft(14, '0') };
        var allowed = PrimaryKeys[primary.Ai];
        var sequence = allowed.FirstOrDefault(s => elements.Elements.Any(e => s.Contains(e.Ai))) ?? [];
        var qualifiers = sequence.Select(ai => elements.Elements.FirstOrDefault(e => e.Ai == ai)).Where(e => e.Ai is not null).ToList();
        var rest = elements.Elements.Where(e => e != primary && e.Ai != primary.Ai && !qualifiers.Contains(e))
            .Select(e => KeyValuePair.Create(e.Ai, e.Value)).ToList();
        return new DigitalLinkUri(stem, primary, qualifiers, rest);
    }

    public static DigitalLinkUri Parse(string text) =>
        TryParse(text, out var uri, out var error) ? uri : throw new FormatException(error);

    /// <summary>Parses an absolute http(s) Digital Link URI.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DigitalLinkUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            error = "A GS1 Digital Link URI is an absolute http or https URI";
            return false;
        }
        if (text.Contains('#', StringComparison.Ordinal))
        {
            error = "A GS1 Digital Link URI has no fragment";
            return false;
        }
        var authorityEnd = text.IndexOf('/', text.IndexOf("//", StringComparison.Ordinal) + 2);
        var stem = authorityEnd < 0 ? text : text[..authorityEnd];
        var pathAndQuery = authorityEnd < 0 ? "" : text[authorityEnd..];
        return TryParsePath(stem, pathAndQuery, out uri, out error);
    }

    /// <summary>
    /// Parses the path and query of a request (<c>/01/09506000134352/21/X?linkType=gs1:pip</c>), as a resolver receives
    /// it. <paramref name="stem"/> is the scheme and host the URI was served under.
    /// </summary>
    public static bool TryParsePath(string stem, string pathAndQuery, [NotNullWhen(true)] out DigitalLinkUri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? null : pathAndQuery[(q + 1)..];
        // A trailing slash is tolerated (GS1-Conformant resolver: SHOULD NOT fail when one is present).
        if (path.Length > 1 && path[^1] == '/')
            path = path[..^1];
        var segments = path.Split('/');
        // segments[0] is the empty string before the leading '/'.
        if (segments.Length < 3 || segments[0].Length != 0)
        {
            error = "The path has no primary key: expected /{AI}/{value}";
            return false;
        }
        var start = FindPrimaryKey(segments);
        if (start < 0)
        {
            error = "The path has no GS1 Digital Link primary key followed by AI/value pairs";
            return false;
        }
        var customPath = string.Join('/', segments[1..start]);
        var fullStem = customPath.Length == 0 ? stem : stem.TrimEnd('/') + "/" + customPath;
        if (!TryReadKeyPath(segments, start, out var primary, out var qualifiers, out var pathError))
        {
            error = pathError;
            return false;
        }
        if (!TryReadQuery(query, out var parameters, out var queryError))
        {
            error = queryError;
            return false;
        }
        uri = new DigitalLinkUri(fullStem, primary, qualifiers, parameters);
        error = null;
        return true;
    }
}
