using System.Diagnostics.Metrics;
using System.Text.Json;
using Fabrica.Identifiers.Limits;
using Fabrica.Identifiers.Mapping;
using Fabrica.Identifiers.Schemes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Identifiers.DigitalLink;

/// <summary>What the resolver answers, independent of the HTTP stack: status, redirect target, Link headers, body.</summary>
public sealed record ResolverResponse(int Status, string? Location, IReadOnlyList<string> Links, string? ContentType, byte[] Body);

/// <summary>
/// A GS1-Conformant resolver (GS1-Conformant resolver standard 1.x, GS1 Digital Link standard §7) over the handle
/// records that <see cref="IdentifierMapper"/> finds: a request URI is validated (400 with a reason otherwise, never a
/// 200 carrying an error); the links of the most specific record on the walk up (serial → lot → GTIN) answer it: the
/// default link, or the one of <c>?linkType=</c> (404 when there is none), as a 307 with the query string passed on and
/// a Link header to the linkset; <c>linkType=linkset</c> (or the deprecated <c>all</c>) or <c>Accept:
/// application/linkset+json</c> returns the RFC 9264 linkset of every level instead.
/// </summary>
public sealed partial class DigitalLinkResolver(IdentifierMapper mapper, ILogger<DigitalLinkResolver>? logger = null)
{
    public const string LinksetMediaType = "application/linkset+json";

    /// <summary>The JSON-LD context that turns a GS1 linkset into JSON-LD (resolver standard 1.2.0, artefacts).</summary>
    public const string LinksetContext = "https://ref.gs1.org/standards/resolver/linkset-context";

    private static readonly Meter Meter = new(IdentifierMetrics.MeterName);
    private static readonly Counter<long> Answers = Meter.CreateCounter<long>("fabrica.identifiers.digital_link_requests", "{request}", "GS1 Digital Link resolver answers, by HTTP status");

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Primary keys this resolver serves, for <c>/.well-known/gs1resolver</c>.</summary>
    public static IReadOnlyList<string> SupportedPrimaryKeys => [.. DigitalLinkUri.PrimaryKeys.Keys.Order(StringComparer.Ordinal)];

    /// <param name="root">Scheme and authority the request came to (<c>https://id.example.com</c>).</param>
    /// <param name="pathAndQuery">The raw request path and query, still percent-encoded.</param>
    public ResolverResponse Resolve(string root, string pathAndQuery, string? accept, bool authorised)
    {
        var response = Answer(root, pathAndQuery, accept, authorised);
        Answers.Add(1, new KeyValuePair<string, object?>("status", response.Status));
        return response;
    }

    private ResolverResponse Answer(string root, string pathAndQuery, string? accept, bool authorised)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        var query = q < 0 ? "" : pathAndQuery[(q + 1)..];
        // Trailing slashes are tolerated (resolver standard: SHOULD NOT fail), so /01/…/ answers as /01/….
        if (path.Length > 1 && path.EndsWith('/'))
            path = path.TrimEnd('/');
        if (!DigitalLinkUri.TryParsePath(root, path + (query.Length > 0 ? "?" + query : ""), out var uri, out var error))
        {
            Log.InvalidUri(_logger, pathAndQuery.Length > 200 ? pathAndQuery[..200] : pathAndQuery, error);
            return Problem(400, "Invalid GS1 Digital Link URI", error);
        }
        var linkType = uri.Query.FirstOrDefault(p => p.Key == "linkType").Value;
        var wantsLinkset = linkType is "linkset" or "all" || (accept?.Contains(LinksetMediaType, StringComparison.OrdinalIgnoreCase) ?? false);
        var identifying = new List<Gs1Element>([uri.PrimaryKey, .. uri.Qualifiers]);
        var identifier = new RecognisedIdentifier(IdentifierScheme.Gs1DigitalLink, uri.ToString(), RecognisedIdentifier.Gs1Keys(identifying)) { Gs1 = uri.IdentifyingElements };
        var levels = mapper.FindAll(identifier, authorised)
            .Select(r => new Level(Anchor(uri.Stem, r.MatchedKey), Gs1Link.From(r.Answer.Values), r.Answer.Values.FirstOrDefault(v => v.Type == "itemDescription")?.DataText))
            .Where(l => l.Links.Count > 0).ToList();
        // The default is the most specific link marked default on the walk up (a serial with only a DPP link still
        // sends a plain scan to the product page); with none marked anywhere, the most specific level's first link.
        var defaultLink = levels.SelectMany(l => l.Links).FirstOrDefault(l => l.IsDefault) ?? levels.FirstOrDefault()?.Links[0];
        var linksetLink = $"<{uri.Stem}{uri.Path}?linkType=linkset>; rel=\"linkset\"; type=\"{LinksetMediaType}\"";
        if (wantsLinkset)
        {
            return levels.Count == 0 ? Problem(404, "No links", $"No links are registered for {uri.Path}")
                : new ResolverResponse(200, null, [$"<{LinksetContext}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"", linksetLink], LinksetMediaType, Linkset(levels, defaultLink!));
        }
        Gs1Link? target = null;
        if (linkType is not null)
        {
            var wanted = Gs1Link.NormalizeLinkType(linkType);
            target = levels.SelectMany(l => l.Links).FirstOrDefault(l => l.LinkType == wanted)
                ?? (wanted == Gs1Link.DefaultLinkType ? defaultLink : null);
            if (target is null)
                return Problem(404, "Link type not found", $"No link of type {linkType} for {uri.Path}");
        }
        else
        {
            target = defaultLink;
            if (target is null)
                return Problem(404, "No links", $"No links are registered for {uri.Path}");
        }
        return new ResolverResponse(307, PassQueryOn(target.Href, query), [linksetLink], null, []);
    }

    /// <summary>The request's query string minus linkType, appended to the target (resolver standard: SHALL pass on key=value pairs).</summary>
    private static string PassQueryOn(string href, string query)
    {
        var passed = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("linkType=", StringComparison.Ordinal)));
        return passed.Length == 0 ? href : href + (href.Contains('?', StringComparison.Ordinal) ? "&" : "?") + passed;
    }

    private static string Anchor(string stem, string key) =>
        stem + DigitalLinkUri.FromElementString(Gs1ElementString.Parse(key[4..])).Path;

    private sealed record Level(string Anchor, IReadOnlyList<Gs1Link> Links, string? Description);

    private static ResolverResponse Problem(int status, string title, string detail)
    {
        // RFC 9457 problem details: an error is never a 200.
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "about:blank");
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }
        return new ResolverResponse(status, null, [], "application/problem+json", buffer.ToArray());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5210, Level = LogLevel.Debug, Message = "GS1 Digital Link request '{Path}' refused: {Reason}")]
        public static partial void InvalidUri(ILogger logger, string path, string reason);
    }
}
