using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Fabrica.Identifiers.Model;

namespace Fabrica.Identifiers.DigitalLink;

/// <summary>
/// One link of a GS1 Digital Link resolver (GS1-Conformant resolver standard §3/§5): a link type (a GS1 Web
/// Vocabulary term such as <c>gs1:pip</c>, or any absolute URI), the target, a title, and the optional media type,
/// languages and context. One link per identified object is the default (<see cref="IsDefault"/>). Stored as a
/// <see cref="ValueType"/> value of the object's handle record, data = this JSON, so links are durable, signed and
/// filtered by the value's permissions like any other value.
/// </summary>
public sealed record Gs1Link(string LinkType, string Href, string Title, string? MediaType = null, IReadOnlyList<string>? HrefLang = null, string? Context = null, bool IsDefault = false)
{
    public const string ValueType = "GS1_LINK";

    /// <summary>The GS1 Web Vocabulary namespace linksets are written in (resolver standard 1.x, and the test suite's modelLinkset.json).</summary>
    public const string VocabularyNamespace = "https://ref.gs1.org/voc/";

    public const string DefaultLinkType = "gs1:defaultLink";

    /// <summary>The link type as a CURIE when it is a GS1 Web Vocabulary term (any of the three namespaces GS1 has used).</summary>
    public static string NormalizeLinkType(string linkType)
    {
        foreach (var ns in new[] { "https://ref.gs1.org/voc/", "https://gs1.org/voc/", "https://www.gs1.org/voc/", "http://gs1.org/voc/" })
        {
            if (linkType.StartsWith(ns, StringComparison.OrdinalIgnoreCase))
                return "gs1:" + linkType[ns.Length..];
        }
        return linkType;
    }

    /// <summary>The link type as the full URI a linkset uses for the relation (RFC 9264 §4.2.2: relation types are URIs or registered names).</summary>
    public static string LinkTypeUri(string linkType) =>
        linkType.StartsWith("gs1:", StringComparison.Ordinal) ? VocabularyNamespace + linkType[4..] : linkType;

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("linkType", LinkType);
            json.WriteString("href", Href);
            json.WriteString("title", Title);
            if (MediaType is not null)
                json.WriteString("type", MediaType);
            if (HrefLang is { Count: > 0 })
            {
                json.WriteStartArray("hreflang");
                foreach (var lang in HrefLang)
                    json.WriteStringValue(lang);
                json.WriteEndArray();
            }
            if (Context is not null)
                json.WriteString("context", Context);
            if (IsDefault)
                json.WriteBoolean("default", true);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a link from the JSON of the REST API or of a stored value; refuses it with a reason when incomplete.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out Gs1Link? link, [NotNullWhen(false)] out string? error)
    {
        link = null;
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "A link is a JSON object";
                return false;
            }
            var linkType = Text(root, "linkType");
            var href = Text(root, "href");
            if (string.IsNullOrWhiteSpace(linkType) || string.IsNullOrWhiteSpace(href) || !Uri.TryCreate(href, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                error = "A link needs a linkType and an absolute http(s) href";
                return false;
            }
            List<string>? languages = null;
            if (root.TryGetProperty("hreflang", out var langs))
            {
                languages = langs.ValueKind == JsonValueKind.Array ? [.. langs.EnumerateArray().Select(l => l.GetString() ?? "")]
                    : langs.ValueKind == JsonValueKind.String ? [langs.GetString()!] : null;
            }
            link = new Gs1Link(NormalizeLinkType(linkType), href, Text(root, "title") ?? NormalizeLinkType(linkType), Text(root, "type"), languages, Text(root, "context"),
                root.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.True);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = "The link is not valid JSON: " + e.Message;
            return false;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>The links among a record's values (those that fail to parse are skipped).</summary>
    public static IReadOnlyList<Gs1Link> From(IEnumerable<HandleValue> values) =>
        [.. values.Where(v => v.Type == ValueType).Select(v => TryParse(v.Data.Span, out var link, out _) ? link : null).OfType<Gs1Link>()];
}
