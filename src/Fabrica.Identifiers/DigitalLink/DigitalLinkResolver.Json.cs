using System.Text.Json;

namespace Fabrica.Identifiers.DigitalLink;

public sealed partial class DigitalLinkResolver
{
    /// <summary>
    /// The linkset (RFC 9264 §4.2): <c>{"linkset": [ {"anchor": …, "&lt;relation URI&gt;": [ {"href", "title", "type",
    /// "hreflang": […]} ] } ]}</c>, one context object per level that has links. The level holding the default link
    /// repeats it as the single <c>https://ref.gs1.org/voc/defaultLink</c> target, with only href and title (resolver
    /// standard), as the GS1 resolver test suite's modelLinkset.json shows (its serial-level anchor has no default).
    /// </summary>
    private static byte[] Linkset(IReadOnlyList<Level> levels, Gs1Link defaultLink)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("linkset");
            foreach (var level in levels)
            {
                json.WriteStartObject();
                json.WriteString("anchor", level.Anchor);
                if (level.Description is not null)
                    json.WriteString("itemDescription", level.Description);
                foreach (var group in level.Links.Where(l => l.LinkType != Gs1Link.DefaultLinkType).GroupBy(l => Gs1Link.LinkTypeUri(l.LinkType)))
                {
                    json.WriteStartArray(group.Key);
                    foreach (var link in group)
                        WriteTarget(json, link, full: true);
                    json.WriteEndArray();
                }
                if (level.Links.Contains(defaultLink))
                {
                    json.WriteStartArray(Gs1Link.LinkTypeUri(Gs1Link.DefaultLinkType));
                    WriteTarget(json, defaultLink, full: false);
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteTarget(Utf8JsonWriter json, Gs1Link link, bool full)
    {
        json.WriteStartObject();
        json.WriteString("href", link.Href);
        json.WriteString("title", link.Title);
        if (full && link.MediaType is not null)
            json.WriteString("type", link.MediaType);
        if (full && link.HrefLang is { Count: > 0 })
        {
            json.WriteStartArray("hreflang");
            foreach (var lang in link.HrefLang)
                json.WriteStringValue(lang);
            json.WriteEndArray();
        }
        if (full && link.Context is not null)
        {
            json.WriteStartArray("context");
            json.WriteStringValue(link.Context);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>The resolver description file at <c>/.well-known/gs1resolver</c> (resolver standard §4, description-file schema 1.2.0).</summary>
    public static byte[] Description(string resolverRoot)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", "Fabrica GS1 Digital Link resolver");
            json.WriteString("resolverRoot", resolverRoot);
            json.WriteStartArray("supportedPrimaryKeys");
            foreach (var key in SupportedPrimaryKeys)
                json.WriteStringValue(key);
            json.WriteEndArray();
            json.WriteStartArray("supportedLinkType");
            json.WriteStartObject();
            json.WriteString("namespace", Gs1Link.VocabularyNamespace);
            json.WriteString("prefix", "gs1:");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteBoolean("linkTypeDefaultCanBeLinkset", false);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
