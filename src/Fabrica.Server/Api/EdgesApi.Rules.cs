using System.Text.Json;
using Fabrica.Platform.Edges;
using Fabrica.Rules;
using Fabrica.Security.Gateways;
using Fabrica.Server.Auth;
using Fabrica.Server.Mqtt;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>
/// Edge rules pushed from the platform (issue 3, scope 4; docs/edge.md, "Rules pushed from the platform"):
/// <c>PUT /api/v1/edges/{id}/rules</c> validates a rule set against the shared rule model and the edge profile, stores
/// it as the edge's next configuration version and publishes it retained on <c>fabrica/edges/{id}/config</c>; the edge
/// applies it without a restart and reports the version in force on its status topic (<c>GET /api/v1/edges</c>).
/// </summary>
internal static partial class EdgesApi
{
    private const int MaxRulesBodyBytes = 1024 * 1024;

    private static void MapEdgeRulesApi(this RouteGroupBuilder edges)
    {
        edges.MapPut("/{edgeId}/rules", PutRules).RequireAuthorization(Policies.Engineer)
            .Accepts<JsonElement>("application/json")
            .WithName("PutEdgeRules")
            .WithSummary("Replace the edge's rules; the edge applies them without a restart")
            .WithDescription("Body: {\"rules\": [ … ]} in the rule JSON of docs/rules.md. Edge rules may write device tags (writeTag) and emit "
                + "events (emitEvent, target mqtt, topic fabrica/edges/{id}/events by default); alarms, setTag and webhooks are refused. Each "
                + "problem names the rule and the field. The rules are stored with the next configuration version and published retained on "
                + "fabrica/edges/{id}/config. The edge checks them against its own devices and tags, swaps its rules atomically and reports the "
                + "version in force as status.configVersion in GET /api/v1/edges; a set it refuses leaves the old rules running, with the reason "
                + "in status.lastError.");
        edges.MapGet("/{edgeId}/rules", GetRules).RequireAuthorization(Policies.Viewer)
            .WithName("GetEdgeRules").WithSummary("The rules last pushed to the edge, with their configuration version");
        edges.MapGet("/{edgeId}/events", GetEvents).RequireAuthorization(Policies.Viewer)
            .WithName("GetEdgeEvents")
            .WithSummary("The newest events the edge's rules emitted (fabrica/edges/{id}/events), oldest first")
            .WithDescription("Kept in memory, the newest 200 per edge since the platform started; each is logged as well.");
    }

    private static async Task<Results<Ok<EdgeRulesView>, NotFound, ValidationProblem>> PutRules(
        string edgeId, HttpContext http, GatewayRegistry registry, EdgeConfigStore store, EdgeConfigChannel channel, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(edgeId, cancellationToken) is null)
            return TypedResults.NotFound();
        RuleSetDocument? document;
        try
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, cancellationToken);
            if (body.Length > MaxRulesBodyBytes)
                return ModelRequests.Invalid("$", $"the body is {body.Length} bytes; a rule set may have at most {MaxRulesBodyBytes}.");
            document = body.Length == 0 ? null : RuleJson.ReadRuleSet(body.GetBuffer().AsSpan(0, (int)body.Length));
        }
        catch (JsonException e)
        {
            return ModelRequests.Invalid(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, e.Message);
        }
        if (document?.Rules is null)
            return ModelRequests.Invalid("rules", "send {\"rules\": [ … ]} — an empty array removes every rule of the edge.");

        var rules = EdgeRuleProfile.Normalize(document.Rules, edgeId);
        var errors = new List<RuleError>(EdgeRuleProfile.Check(rules, edgeId));
        errors.AddRange(RuleSet.Validate(rules));
        if (errors.Count > 0)
            return Invalid(rules, errors);

        var config = await store.PutRulesAsync(edgeId, rules, http.AuditCaller(), cancellationToken);
        await channel.PublishAsync(config, cancellationToken);
        return TypedResults.Ok(EdgeRulesView.From(config));
    }

    private static async Task<Results<Ok<EdgeRulesView>, NotFound>> GetRules(string edgeId, GatewayRegistry registry, EdgeConfigStore store, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(edgeId, cancellationToken) is null)
            return TypedResults.NotFound();
        var config = await store.GetAsync(edgeId, cancellationToken) ?? new EdgeConfig(edgeId, "0", 0, []);
        return TypedResults.Ok(EdgeRulesView.From(config));
    }

    private static async Task<Results<Ok<IReadOnlyList<EdgeEvent>>, NotFound>> GetEvents(string edgeId, GatewayRegistry registry, EdgeStatusBoard board, CancellationToken cancellationToken) =>
        await registry.GetAsync(edgeId, cancellationToken) is null ? TypedResults.NotFound() : TypedResults.Ok(board.Events(edgeId));

    /// <summary>One entry per problem, keyed <c>rules[i].path</c>, each message naming the rule.</summary>
    private static ValidationProblem Invalid(IReadOnlyList<RuleDefinition> rules, List<RuleError> errors)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
            index.TryAdd(rules[i]?.Id ?? "", i);
        var problems = errors
            .GroupBy(e => (index.TryGetValue(e.RuleId, out var i) ? $"rules[{i}]" : "rules") + (e.Path.Length == 0 || e.Path.StartsWith("rules[", StringComparison.Ordinal) ? "" : "." + e.Path))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray());
        return TypedResults.ValidationProblem(problems, title: "The edge rules are invalid",
            detail: errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems: " + string.Join("; ", errors));
    }
}

/// <param name="Version">The configuration version; the edge reports the version in force as <c>status.configVersion</c>.</param>
/// <param name="UpdatedAt">When it was pushed (UTC Unix ms); 0 when nothing was pushed yet.</param>
/// <param name="Rules">The rules as stored and published (defaults filled in, e.g. the events topic).</param>
internal sealed record EdgeRulesView(string Edge, string Version, long UpdatedAt, JsonElement Rules)
{
    public static EdgeRulesView From(EdgeConfig config)
    {
        using var document = JsonDocument.Parse(config.ToPayload());
        return new(config.EdgeId, config.Version, config.UpdatedAt, document.RootElement.GetProperty("rules").Clone());
    }
}
