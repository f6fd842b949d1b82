using Fabrica.Security;
using Fabrica.Security.Devices;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>Device registration and listing (issue 2, scope 4). Tokens are shown once, at registration or rotation.</summary>
internal static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this RouteGroupBuilder devices)
    {
        devices.MapPost("/", Register).RequireAuthorization(Policies.Engineer)
            .WithName("RegisterDevice").WithSummary("Register a device; the answer holds its token, shown only this once");
        devices.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithName("ListDevices").WithSummary("List devices, ordered by id; page with `after` and `limit` (default 1000, max 10000)");
        devices.MapGet("/{deviceId}", Get)
            .WithName("GetDevice").WithSummary("One device (API tokens, or the device itself)");
        devices.MapDelete("/{deviceId}", Delete).RequireAuthorization(Policies.Engineer)
            .WithName("DeleteDevice").WithSummary("Delete a device; its token stops working at once. Stored telemetry is kept.");
        devices.MapPost("/{deviceId}/token", RotateToken).RequireAuthorization(Policies.Engineer)
            .WithName("RotateDeviceToken").WithSummary("Issue a new token for a device; the old one stops working at once");
        return devices;
    }

    private static async Task<Results<Created<DeviceCreated>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> Register(
        DeviceRequest request, HttpContext http, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A device id is required."] });
        try
        {
            var created = await registry.RegisterAsync(request.Id, request.Name ?? request.Id, http.AuditCaller(), cancellationToken);
            return TypedResults.Created($"/api/v1/devices/{created.Device.Id}",
                new DeviceCreated(created.Device.Id, created.Device.Name, created.Device.CreatedAt, created.Token));
        }
        catch (DuplicateIdException)
        {
            return TypedResults.Conflict(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Title = "Device exists",
                Detail = $"A device '{request.Id}' is already registered. Rotate its token with POST /api/v1/devices/{request.Id}/token.",
                Status = StatusCodes.Status409Conflict,
            });
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.ParamName ?? "id"] = [e.Message] });
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceView>>, ValidationProblem>> List(
        DeviceRegistry registry, string? after, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["Use a number from 1 to 10000."] });
        var devices = await registry.ListAsync(after, limit ?? 1000, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DeviceView>>(devices.Select(DeviceView.From).ToList());
    }

    private static async Task<Results<Ok<DeviceView>, NotFound, ForbidHttpResult>> Get(
        string deviceId, HttpContext http, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        if (!http.User.CanReadDevice(deviceId))
            return TypedResults.Forbid();
        return await registry.GetAsync(deviceId, cancellationToken) is { } device
            ? TypedResults.Ok(DeviceView.From(device))
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> Delete(
        string deviceId, HttpContext http, DeviceRegistry registry, CancellationToken cancellationToken) =>
        await registry.DeleteAsync(deviceId, http.AuditCaller(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<DeviceCreated>, NotFound>> RotateToken(
        string deviceId, HttpContext http, DeviceRegistry registry, CancellationToken cancellationToken) =>
        await registry.RotateTokenAsync(deviceId, http.AuditCaller(), cancellationToken) is { } rotated
            ? TypedResults.Ok(new DeviceCreated(rotated.Device.Id, rotated.Device.Name, rotated.Device.CreatedAt, rotated.Token))
            : TypedResults.NotFound();
}

/// <param name="Id">Letters, digits, '-', '_', '.'; at most 128 characters.</param>
internal sealed record DeviceRequest(string Id, string? Name);

/// <param name="Token">The device's MQTT password and HTTP bearer token. Shown only in this answer.</param>
internal sealed record DeviceCreated(string Id, string Name, long CreatedAt, string Token);

/// <param name="CreatedAt">UTC Unix milliseconds.</param>
internal sealed record DeviceView(string Id, string Name, long CreatedAt, string? GatewayId)
{
    public static DeviceView From(Device device) => new(device.Id, device.Name, device.CreatedAt, device.GatewayId);
}
