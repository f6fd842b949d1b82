using System.Text.Json;
using Fabrica.Platform.Commands;
using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// Commands (issue 7, scope 5): to an asset by the name its type declares (arguments checked), or straight to a device;
/// the answer is 202 with the command and its <c>Location</c>; <c>?wait=5s</c> holds the request until the command is
/// final (200) or the wait ends (202). Devices that cannot answer over MQTT answer over HTTP.
/// </summary>
internal static class CommandsApi
{
    public static RouteGroupBuilder MapCommandsApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/assets/{assetId}/commands/{name}", SendToAsset).RequireAuthorization(Policies.Operator).WithTags("Commands")
            .WithName("SendAssetCommand").WithSummary("Send a command its asset type declares; the body is the arguments object");
        v1.MapPost("/devices/{deviceId}/commands", SendToDevice).RequireAuthorization(Policies.Operator).WithTags("Commands")
            .WithName("SendDeviceCommand").WithSummary("Send a command straight to a device: {\"name\", \"args\", \"timeout\"}");
        v1.MapGet("/commands", List).RequireAuthorization(Policies.Viewer).WithTags("Commands")
            .WithName("ListCommands").WithSummary("Commands created between `from` and `to` (default: the last 24 h), oldest first; filters device, actor (e.g. rule:overheat)")
            .WithDescription("Finds the commands a rule sent (actor `rule:{ruleId}`) or a device received; `limit` 1–10000 (default 1000).");
        v1.MapGet("/commands/{commandId}", Get).RequireAuthorization(Policies.Viewer).WithTags("Commands")
            .WithName("GetCommand").WithSummary("A command and where it is in its life: pending, delivered, succeeded, failed, timedOut");
        v1.MapPost("/devices/{deviceId}/commands/{commandId}/result", Reply).WithTags("Commands")
            .WithName("AnswerCommand").WithSummary("A device's answer to a command, {\"ok\", \"result\"?, \"error\"?} (the device's own token)");
        return v1;
    }

    private static async Task<Results<Ok<DeviceCommand>, Accepted<DeviceCommand>, NotFound<ProblemDetails>, ValidationProblem>> SendToAsset(
        string assetId, string name, string? wait, HttpContext http, CommandService commands, CancellationToken cancellationToken)
    {
        if (!TryParseWait(wait, out var hold, out var invalid))
            return invalid!;
        JsonElement args;
        try
        {
            args = http.Request.ContentLength is null or 0 && !http.Request.Headers.TransferEncoding.Any()
                ? default
                : await JsonSerializer.DeserializeAsync(http.Request.Body, ModelsApiJsonContext.Default.JsonElement, cancellationToken);
        }
        catch (JsonException e)
        {
            return ModelRequests.Invalid(string.IsNullOrEmpty(e.Path) ? "args" : "args" + e.Path.TrimStart('$'), e.Message);
        }
        try
        {
            var command = await commands.SendToAssetAsync(assetId, name, args, http.AuditCaller(), cancellationToken);
            return await AnswerAsync(command, hold, commands, cancellationToken);
        }
        catch (ModelNotFoundException e)
        {
            return TypedResults.NotFound(AssetsApi.Problem(StatusCodes.Status404NotFound, "No such command", e.Message));
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
    }

    private static async Task<Results<Ok<DeviceCommand>, Accepted<DeviceCommand>, ValidationProblem>> SendToDevice(
        string deviceId, string? wait, HttpContext http, CommandService commands, CancellationToken cancellationToken)
    {
        if (!TryParseWait(wait, out var hold, out var invalid))
            return invalid!;
        var (request, problem) = await ModelRequests.ReadAsync(http.Request, ModelsApiJsonContext.Default.DeviceCommandRequest, cancellationToken);
        if (request is null)
            return problem!;
        TimeSpan? timeout = null;
        if (request.Timeout is not null)
        {
            if (!DurationText.TryParse(request.Timeout, out var t) || t > TimeSpan.FromHours(1))
                return ModelRequests.Invalid("timeout", $"'{request.Timeout}' is not a duration up to 1h such as 10s");
            timeout = t;
        }
        try
        {
            var command = await commands.SendToDeviceAsync(deviceId, request.Name, request.Args ?? default, timeout, http.AuditCaller(), cancellationToken);
            return (await AnswerAsync(command, hold, commands, cancellationToken)).Result switch
            {
                Ok<DeviceCommand> ok => ok,
                Accepted<DeviceCommand> accepted => accepted,
                _ => throw new InvalidOperationException("unexpected answer"),
            };
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceCommand>>, ValidationProblem>> List(
        CommandService commands, TimeProvider time, string? device, string? actor, string? from, string? to, int? limit, CancellationToken cancellationToken)
    {
        if (!QueryParameters.TryParseHistoryWindow(from, to, time.GetUtcNow().ToUnixTimeMilliseconds(), out var start, out var end, out var badField, out var problem))
            return ModelRequests.Invalid(badField!, problem!);
        if (limit is < 1 or > 10_000)
            return ModelRequests.Invalid("limit", "is 1 to 10000");
        return TypedResults.Ok(await commands.ListAsync(device, actor, start, end, limit ?? 1_000, cancellationToken));
    }

    private static async Task<Results<Ok<DeviceCommand>, NotFound>> Get(string commandId, CommandService commands, CancellationToken cancellationToken) =>
        await commands.GetAsync(commandId, cancellationToken) is { } command ? TypedResults.Ok(command) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound, ForbidHttpResult, ValidationProblem>> Reply(
        string deviceId, string commandId, HttpContext http, CommandService commands, CancellationToken cancellationToken)
    {
        if (!http.User.CanPublishFor(deviceId))
            return TypedResults.Forbid();
        var (reply, problem) = await ModelRequests.ReadAsync(http.Request, CommandJsonContext.Default.CommandReply, cancellationToken);
        if (reply is null)
            return problem!;
        return await commands.OnReplyAsync(deviceId, commandId, reply, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<DeviceCommand>, Accepted<DeviceCommand>, NotFound<ProblemDetails>, ValidationProblem>> AnswerAsync(
        DeviceCommand command, TimeSpan hold, CommandService commands, CancellationToken cancellationToken)
    {
        if (!command.IsFinal && hold > TimeSpan.Zero)
            command = await commands.WaitAsync(command.Id, hold, cancellationToken) ?? command;
        return command.IsFinal
            ? TypedResults.Ok(command)
            : TypedResults.Accepted($"/api/v1/commands/{command.Id}", command);
    }

    private static bool TryParseWait(string? wait, out TimeSpan hold, out ValidationProblem? problem)
    {
        hold = TimeSpan.Zero;
        problem = null;
        if (wait is null)
            return true;
        if (DurationText.TryParse(wait, out hold) && hold <= CommandService.MaxWait)
            return true;
        problem = ModelRequests.Invalid("wait", $"'{wait}' is not a duration up to {CommandService.MaxWait.TotalSeconds:0}s such as 5s");
        return false;
    }
}

/// <param name="Timeout">How long the device has to answer, e.g. <c>10s</c> (default 30 s, at most 1 h).</param>
internal sealed record DeviceCommandRequest(string Name, JsonElement? Args = null, string? Timeout = null);
