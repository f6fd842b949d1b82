using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// ISA-18.2 states G (suppressed by design) and H (out of service) per alarm point — a rule on an asset — set by an
/// engineer, audited, without expiry (shelving is the operator's time-limited tool).
/// </summary>
internal static class AlarmPointsApi
{
    private const string ModeDescription = "`mode`: `suppressed` (alarms are still raised and tracked, but left out of the active "
        + "lists — `GET /api/v1/alarms?suppressed=false` — and of the flood rate), `outOfService` (the open alarm is closed; the rule "
        + "raises nothing until the point returns to service) or `inService`; `comment` says why (recorded in the alarm history and the audit log).";

    public static RouteGroupBuilder MapAlarmPointsApi(this RouteGroupBuilder alarms)
    {
        alarms.MapGet("/points", (AlarmBook book) => TypedResults.Ok(book.Points)).RequireAuthorization(Policies.Viewer)
            .WithName("ListAlarmPoints").WithSummary("Alarm points (rule × asset) that are suppressed or out of service");
        alarms.MapPut("/points/{ruleId}/{assetId}", SetPoint).RequireAuthorization(Policies.Engineer)
            .WithName("SetAlarmPoint").WithSummary("Suppress an alarm point, take it out of service, or return it to service")
            .WithDescription(ModeDescription);
        alarms.MapPost("/{alarmId}/suppress", (string alarmId, HttpContext http, AlarmBook book, CancellationToken ct) => ForAlarm(alarmId, AlarmSuppression.Suppressed, http, book, ct))
            .RequireAuthorization(Policies.Engineer).WithName("SuppressAlarm").WithSummary("Suppress the point of this alarm (ISA-18.2 suppressed by design)");
        alarms.MapPost("/{alarmId}/out-of-service", (string alarmId, HttpContext http, AlarmBook book, CancellationToken ct) => ForAlarm(alarmId, AlarmSuppression.OutOfService, http, book, ct))
            .RequireAuthorization(Policies.Engineer).WithName("TakeAlarmOutOfService").WithSummary("Take the point of this alarm out of service; the alarm is closed");
        alarms.MapPost("/{alarmId}/return-to-service", (string alarmId, HttpContext http, AlarmBook book, CancellationToken ct) => ForAlarm(alarmId, AlarmSuppression.InService, http, book, ct))
            .RequireAuthorization(Policies.Engineer).WithName("ReturnAlarmToService").WithSummary("Return the point of this alarm to service");
        return alarms;
    }

    private static async Task<Results<Ok<AlarmPoint>, NotFound<ProblemDetails>, ValidationProblem>> SetPoint(
        string ruleId, string assetId, HttpContext http, AlarmBook book, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (request, problem) = await ModelRequests.ReadAsync(http.Request, ModelsApiJsonContext.Default.AlarmPointRequest, cancellationToken);
        if (request is null)
            return problem!;
        var model = catalog.Current;
        if (!model.Rules.TryGetValue(ruleId, out var rule))
            return TypedResults.NotFound(AssetsApi.Problem(StatusCodes.Status404NotFound, "No such rule", $"There is no rule '{ruleId}'."));
        if (!model.AssetsOf(rule).Any(a => a.Id == assetId))
            return TypedResults.NotFound(AssetsApi.Problem(StatusCodes.Status404NotFound, "No such alarm point", $"Rule '{ruleId}' does not apply to asset '{assetId}'."));
        if (!Enum.IsDefined(request.Mode))
            return ModelRequests.Invalid("mode", "is suppressed, outOfService or inService");
        return TypedResults.Ok(await book.SetPointModeAsync(ruleId, assetId, model.PathOf(assetId), request.Mode, AlarmsApi.User(http), request.Comment, http.AuditCaller(), cancellationToken));
    }

    private static async Task<Results<Ok<Alarm>, NotFound, Conflict<ProblemDetails>, ValidationProblem>> ForAlarm(
        string alarmId, AlarmSuppression mode, HttpContext http, AlarmBook book, CancellationToken cancellationToken)
    {
        var (request, problem) = await AlarmsApi.ReadOptionalAsync(http.Request, ModelsApiJsonContext.Default.CommentRequest, new CommentRequest(null), cancellationToken);
        if (request is null)
            return problem!;
        if (await book.GetAsync(alarmId, cancellationToken) is not { } alarm)
            return TypedResults.NotFound();
        await book.SetPointModeAsync(alarm.RuleId, alarm.AssetId, alarm.AssetPath, mode, AlarmsApi.User(http), request.Comment, http.AuditCaller(), cancellationToken);
        return AlarmsApi.Answer(AlarmChange.Done((await book.GetAsync(alarmId, cancellationToken))!));
    }
}

/// <param name="Mode"><c>suppressed</c>, <c>outOfService</c> or <c>inService</c>.</param>
internal sealed record AlarmPointRequest(AlarmSuppression Mode, string? Comment = null);
