using System.Text.Json;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// Alarms (issue 7, scope 4): open and recent alarms with filters, one alarm, the history, and the operator's
/// acknowledge / shelve / unshelve — each audited, with the acting token's name recorded as the user.
/// </summary>
internal static class AlarmsApi
{
    public static RouteGroupBuilder MapAlarmsApi(this RouteGroupBuilder alarms)
    {
        alarms.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithName("ListAlarms").WithSummary("Open alarms, newest change first; `state=normal` lists those closed in the last 24 h. Filters: state, priority, asset (id or path: the subtree), shelved, suppressed (alarms of suppressed or out-of-service points)");
        alarms.MapGet("/history", History).RequireAuthorization(Policies.Viewer)
            .WithName("AlarmHistory").WithSummary("Every change of every alarm between `from` and `to` (default: the last 24 h), oldest first; filters asset, alarm");
        alarms.MapGet("/{alarmId}", Get).RequireAuthorization(Policies.Viewer).WithName("GetAlarm").WithSummary("One alarm");
        alarms.MapPost("/{alarmId}/ack", Acknowledge).RequireAuthorization(Policies.Operator)
            .WithName("AcknowledgeAlarm").WithSummary("Acknowledge, with an optional comment");
        alarms.MapPost("/{alarmId}/shelve", Shelve).RequireAuthorization(Policies.Operator)
            .WithName("ShelveAlarm").WithSummary("Shelve for a `duration` (e.g. 2h) or `until` a time, at most 24 h, with a comment");
        alarms.MapPost("/{alarmId}/unshelve", Unshelve).RequireAuthorization(Policies.Operator)
            .WithName("UnshelveAlarm").WithSummary("End a shelving early");
        alarms.MapAlarmPointsApi();
        return alarms;
    }

    private static async Task<Results<Ok<IReadOnlyList<Alarm>>, ValidationProblem>> List(
        AlarmBook book, ModelCatalog catalog, string? state, int? priority, string? asset, bool? shelved, bool? suppressed, int? limit, CancellationToken cancellationToken)
    {
        AlarmState? parsed = null;
        if (state is not null)
        {
            try
            {
                parsed = JsonSerializer.Deserialize($"\"{state}\"", AlarmJsonContext.Default.AlarmState);
            }
            catch (JsonException)
            {
                return ModelRequests.Invalid("state", $"'{state}' is not a state; use activeUnacknowledged, activeAcknowledged, clearedUnacknowledged or normal");
            }
        }
        if (priority is < 1 or > 4)
            return ModelRequests.Invalid("priority", "is 1 (most urgent) to 4");
        if (limit is < 1 or > 10_000)
            return ModelRequests.Invalid("limit", "is 1 to 10000");
        var path = asset is null ? null : catalog.Current.Assets.ContainsKey(asset) ? catalog.Current.PathOf(asset) : asset.Trim('/');
        return TypedResults.Ok(await book.QueryAsync(new AlarmQuery(parsed, priority, path, shelved, limit ?? 1000, suppressed), cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<AlarmEvent>>, ValidationProblem>> History(
        AlarmBook book, TimeProvider time, string? from, string? to, string? asset, string? alarm, int? limit, CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryParseHistoryWindow(from, to, time.GetUtcNow().ToUnixTimeMilliseconds(), out var start, out var end, out var badField, out var problem))
            return ModelRequests.Invalid(badField!, problem!);
        if (limit is < 1 or > 100_000)
            return ModelRequests.Invalid("limit", "is 1 to 100000");
        return TypedResults.Ok(await book.HistoryAsync(start, end, asset, alarm, limit ?? 10_000, cancellationToken));
    }

    private static async Task<Results<Ok<Alarm>, NotFound>> Get(string alarmId, AlarmBook book, CancellationToken cancellationToken) =>
        await book.GetAsync(alarmId, cancellationToken) is { } alarm ? TypedResults.Ok(alarm) : TypedResults.NotFound();

    private static async Task<Results<Ok<Alarm>, NotFound, Conflict<ProblemDetails>, ValidationProblem>> Acknowledge(
        string alarmId, HttpContext http, AlarmBook book, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadOptionalAsync(http.Request, ModelsApiJsonContext.Default.CommentRequest, new CommentRequest(null), cancellationToken);
        if (request is null)
            return problem!;
        return Answer(await book.AcknowledgeAsync(alarmId, User(http), request.Comment, http.AuditCaller(), cancellationToken));
    }

    private static async Task<Results<Ok<Alarm>, NotFound, Conflict<ProblemDetails>, ValidationProblem>> Shelve(
        string alarmId, HttpContext http, AlarmBook book, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ModelRequests.ReadAsync(http.Request, ModelsApiJsonContext.Default.ShelveRequest, cancellationToken);
        if (request is null)
            return problem!;
        long until;
        if (request.Duration is not null)
        {
            if (!DurationText.TryParse(request.Duration, out var duration))
                return ModelRequests.Invalid("duration", $"'{request.Duration}' is not a duration such as 30m or 2h");
            until = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)duration.TotalMilliseconds;
        }
        else if (request.Until is { } at)
        {
            until = at;
        }
        else
        {
            return ModelRequests.Invalid("duration", "give a 'duration' (e.g. 2h) or an 'until' time (UTC Unix ms)");
        }
        return Answer(await book.ShelveAsync(alarmId, until, User(http), request.Comment, http.AuditCaller(), cancellationToken));
    }

    private static async Task<Results<Ok<Alarm>, NotFound, Conflict<ProblemDetails>, ValidationProblem>> Unshelve(
        string alarmId, HttpContext http, AlarmBook book, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadOptionalAsync(http.Request, ModelsApiJsonContext.Default.CommentRequest, new CommentRequest(null), cancellationToken);
        if (request is null)
            return problem!;
        return Answer(await book.UnshelveAsync(alarmId, User(http), request.Comment, http.AuditCaller(), cancellationToken));
    }

    internal static Results<Ok<Alarm>, NotFound, Conflict<ProblemDetails>, ValidationProblem> Answer(AlarmChange change) => change switch
    {
        { Alarm: null } => TypedResults.NotFound(),
        { Problem: { } why } => TypedResults.Conflict(AssetsApi.Problem(StatusCodes.Status409Conflict, "Not possible in this state", why)),
        { Alarm: { } alarm } => TypedResults.Ok(alarm),
    };

    /// <summary>The person acting: the API token's name (as given when it was created), else the actor.</summary>
    internal static string User(HttpContext http) => http.User.Principal() is { } p ? $"{p.Name} ({p.Actor})" : "unauthenticated";

    internal static async Task<(T? Value, ValidationProblem? Problem)> ReadOptionalAsync<T>(
        HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, T empty, CancellationToken cancellationToken)
        where T : class =>
        request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()
            ? (empty, null)
            : await ModelRequests.ReadAsync(request, type, cancellationToken);
}

internal sealed record CommentRequest(string? Comment);

/// <param name="Duration">How long, e.g. <c>30m</c>, <c>2h</c>; or give <paramref name="Until"/>.</param>
/// <param name="Until">UTC Unix milliseconds.</param>
internal sealed record ShelveRequest(string? Comment, string? Duration = null, long? Until = null);
