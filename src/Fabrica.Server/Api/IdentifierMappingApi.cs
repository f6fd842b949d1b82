using System.Text.Json;
using Fabrica.Identifiers.Http;
using Fabrica.Identifiers.Mapping;
using Fabrica.Identifiers.Model;
using Fabrica.Security.Audit;
using Fabrica.Security.Principals;
using Fabrica.Server.Auth;

namespace Fabrica.Server.Api;

/// <summary>
/// Identifier mapping across schemes (issue 6, scope 2) under <c>/api/v1/identifiers</c>: resolve any identifier
/// (public; non-public values only with a viewer token), mapping rules and ALT_ID bindings (engineer), and the links of
/// the GS1 Digital Link resolver (read: viewer; change: engineer). Changes are audited.
/// </summary>
internal static partial class IdentifierMappingApi
{
    public static IEndpointRouteBuilder MapIdentifierMappingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/identifiers").WithTags("Identifier mapping");
        group.MapGet("/resolve", Resolve).AllowAnonymous().WithName("ResolveAnyIdentifier")
            .WithSummary("Resolve an identifier of any scheme to its handle record")
            .WithDescription("?id= takes a handle, GS1 Digital Link URI, element string, GTIN, EPC URN, EPC tag URI, SGTIN-96/SSCC-96/GRAI-96/GIAI-96 hex, OID or Ecode; answers with the recognised scheme, the handle and its values (public values only without a viewer token). ?walkUp=true tries less specific GS1 keys.");
        group.MapGet("/rules", ListRules).RequireAuthorization(Policies.Viewer).WithName("ListMappingRules").WithSummary("Mapping rules (GS1 company prefix or OID arc → handle prefix)");
        group.MapPost("/rules", AddRule).RequireAuthorization(Policies.Engineer).WithName("AddMappingRule")
            .WithSummary("Bind a GS1 company prefix or OID arc to one of this node's prefixes").WithDescription("Body: {\"kind\": \"gs1\" | \"oid\", \"match\": \"0614141\", \"prefix\": \"88.100.12\"}.");
        group.MapPost("/alternates", AddAlternate).RequireAuthorization(Policies.Engineer).WithName("AddAlternateIdentifier")
            .WithSummary("Bind an identifier of another scheme to a handle (ALT_ID value)").WithDescription("Body: {\"handle\": \"88.100.12/PUMP-1\", \"identifier\": \"urn:epc:id:sgtin:…\", \"public\": true}.");
        group.MapGet("/links", ListLinks).RequireAuthorization(Policies.Viewer).WithName("ListDigitalLinks").WithSummary("Links stored for ?id= (no walk up)");
        group.MapPut("/links", AddLink).RequireAuthorization(Policies.Engineer).WithName("AddDigitalLink")
            .WithSummary("Add a GS1 Digital Link link for ?id=").WithDescription("Body: {\"linkType\": \"gs1:pip\", \"href\": \"https://…\", \"title\": \"…\", \"type\": \"text/html\", \"hreflang\": [\"en\"], \"default\": true, \"public\": true}.");
        group.MapDelete("/links", RemoveLinks).RequireAuthorization(Policies.Engineer).WithName("RemoveDigitalLinks").WithSummary("Remove the links of ?id= (only ?linkType= when given)");
        return app;
    }

    private static IResult Resolve(string? id, bool? walkUp, HttpContext http, IdentifierMapper mapper, HandleRestService rest)
    {
        if (string.IsNullOrWhiteSpace(id))
            return Json(400, w => w.WriteString("message", "?id= is required"));
        if (rest.Throttle(http.Connection.RemoteIpAddress, id) is { } throttled)
        {
            http.Response.Headers.RetryAfter = "1";
            return Json(throttled.Status, w => w.WriteString("message", "Too many requests"));
        }
        var authorised = http.User.Principal()?.HasRole(Role.Viewer) == true;
        var found = mapper.Find(id, authorised, walkUp ?? false, out var recognised, out var error);
        if (recognised is null)
            return Json(400, w => w.WriteString("message", error));
        if (found is null)
        {
            return Json(404, w =>
            {
                w.WriteString("identifier", id);
                w.WriteString("scheme", recognised.SchemeName);
                w.WriteString("message", "No record for this identifier");
            });
        }
        return Json(200, w =>
        {
            w.WriteNumber("responseCode", (int)found.Answer.Code);
            w.WriteString("identifier", id);
            w.WriteString("scheme", recognised.SchemeName);
            w.WriteString("handle", found.Handle);
            w.WriteString("matchedKey", found.MatchedKey);
            w.WriteString("match", found.Match.ToString().ToLowerInvariant());
            w.WriteStartArray("values");
            foreach (var value in found.Answer.Values)
                HandleJson.WriteValue(w, value);
            w.WriteEndArray();
        });
    }

    private static IResult ListRules(IdentifierMapper mapper) => Json(200, w =>
    {
        w.WriteStartArray("rules");
        foreach (var rule in mapper.Rules)
        {
            w.WriteStartObject();
            w.WriteString("kind", rule.Kind == MappingRuleKind.Gs1CompanyPrefix ? "gs1" : "oid");
            w.WriteString("match", rule.Match);
            w.WriteString("prefix", rule.Prefix);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static async Task<IResult> AddRule(HttpContext http, IdentifierMapper mapper, IAuditLog audit, CancellationToken cancellationToken)
    {
        using var body = await ReadJsonAsync(http.Request, cancellationToken);
        var kind = Text(body, "kind");
        var match = Text(body, "match");
        var prefix = Text(body, "prefix");
        if (kind is not ("gs1" or "oid") || match is null || prefix is null)
            return Json(400, w => w.WriteString("message", "Body: {\"kind\": \"gs1\" | \"oid\", \"match\": …, \"prefix\": …}"));
        var outcome = await mapper.AddRuleAsync(new MappingRule(kind == "gs1" ? MappingRuleKind.Gs1CompanyPrefix : MappingRuleKind.OidArc, match, prefix), cancellationToken);
        await AuditAsync(audit, http, "identifier.rule", $"{kind}:{match}->{prefix}", outcome, cancellationToken);
        return Outcome(outcome, created: true);
    }

    private static async Task<IResult> AddAlternate(HttpContext http, IdentifierMapper mapper, IAuditLog audit, CancellationToken cancellationToken)
    {
        using var body = await ReadJsonAsync(http.Request, cancellationToken);
        var handleText = Text(body, "handle");
        var identifier = Text(body, "identifier");
        if (identifier is null || !HandleName.TryParse(handleText, out var handle, out var error))
            return Json(400, w => w.WriteString("message", "Body: {\"handle\": \"prefix/suffix\", \"identifier\": …, \"public\": true}"));
        var isPublic = body?.RootElement.TryGetProperty("public", out var p) != true || p.ValueKind != JsonValueKind.False;
        var outcome = await mapper.AddAlternateAsync(handle, identifier, isPublic, cancellationToken);
        await AuditAsync(audit, http, "identifier.alternate", $"{identifier}->{handle}", outcome, cancellationToken);
        return Outcome(outcome, created: true);
    }
}
