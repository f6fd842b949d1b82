using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// Rules of the model (issue 7, scope 3): the rule JSON of docs/rules.md plus <c>assetType</c> (every asset of a type)
/// or <c>asset</c> (one asset). Validation errors name the rule, the field and the problem.
/// </summary>
internal static class RulesApi
{
    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder rules)
    {
        rules.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithName("ListRules").WithSummary("Rules; `assetType` or `asset` keeps those that apply to it");
        rules.MapGet("/{ruleId}", Get).RequireAuthorization(Policies.Viewer).WithName("GetRule").WithSummary("One rule");
        rules.MapPost("/", Create).RequireAuthorization(Policies.Engineer).WithName("CreateRule").WithSummary("Create a rule; it is evaluated from the next sample on");
        rules.MapPut("/{ruleId}", Put).RequireAuthorization(Policies.Engineer)
            .WithName("PutRule").WithSummary("Create or replace a rule; a changed rule starts afresh, clearing its active alarms");
        rules.MapDelete("/{ruleId}", Delete).RequireAuthorization(Policies.Engineer).WithName("DeleteRule").WithSummary("Delete a rule, clearing its active alarms");
        rules.MapPost("/{ruleId}/enable", (string ruleId, HttpContext http, ModelCatalog catalog, CancellationToken ct) => SetEnabled(ruleId, true, http, catalog, ct))
            .RequireAuthorization(Policies.Engineer).WithName("EnableRule").WithSummary("Enable a rule");
        rules.MapPost("/{ruleId}/disable", (string ruleId, HttpContext http, ModelCatalog catalog, CancellationToken ct) => SetEnabled(ruleId, false, http, catalog, ct))
            .RequireAuthorization(Policies.Engineer).WithName("DisableRule").WithSummary("Disable a rule, clearing its active alarms");
        return rules;
    }

    private static Ok<IReadOnlyList<AssetRule>> List(ModelCatalog catalog, string? assetType, string? asset)
    {
        var model = catalog.Current;
        IEnumerable<AssetRule> rules = model.RuleList;
        if (assetType is not null)
            rules = rules.Where(r => r.AssetType == assetType);
        if (asset is not null)
        {
            var type = model.Assets.TryGetValue(asset, out var a) ? a.Type : null;
            rules = rules.Where(r => r.Asset == asset || (type is not null && r.AssetType == type));
        }
        return TypedResults.Ok<IReadOnlyList<AssetRule>>([.. rules]);
    }

    private static Results<Ok<AssetRule>, NotFound> Get(string ruleId, ModelCatalog catalog) =>
        catalog.Current.Rules.TryGetValue(ruleId, out var rule) ? TypedResults.Ok(rule) : TypedResults.NotFound();

    private static async Task<Results<Created<AssetRule>, ValidationProblem, Conflict<ProblemDetails>>> Create(HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (rule, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.AssetRule, cancellationToken);
        if (rule is null)
            return problem!;
        if (catalog.Current.Rules.ContainsKey(rule.Id))
            return TypedResults.Conflict(AssetsApi.Problem(StatusCodes.Status409Conflict, "Rule exists", $"A rule '{rule.Id}' exists. Replace it with PUT /api/v1/rules/{rule.Id}."));
        try
        {
            await catalog.PutRuleAsync(rule, http.AuditCaller(), cancellationToken);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
        return TypedResults.Created($"/api/v1/rules/{rule.Id}", rule);
    }

    private static async Task<Results<Ok<AssetRule>, Created<AssetRule>, ValidationProblem>> Put(string ruleId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (rule, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.AssetRule, cancellationToken);
        if (rule is null)
            return problem!;
        if (rule.Id != ruleId)
            return ModelRequests.Invalid("id", $"is '{rule.Id}' but the URL names rule '{ruleId}'");
        try
        {
            return await catalog.PutRuleAsync(rule, http.AuditCaller(), cancellationToken)
                ? TypedResults.Created($"/api/v1/rules/{rule.Id}", rule)
                : TypedResults.Ok(rule);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
    }

    private static async Task<Results<NoContent, NotFound>> Delete(string ruleId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.DeleteRuleAsync(ruleId, http.AuditCaller(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<AssetRule>, NotFound>> SetEnabled(string ruleId, bool enabled, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.SetRuleEnabledAsync(ruleId, enabled, http.AuditCaller(), cancellationToken)
            ? TypedResults.Ok(catalog.Current.Rules[ruleId])
            : TypedResults.NotFound();
}
