using Fabrica.Platform.Edges;
using Fabrica.Security;
using Fabrica.Security.Gateways;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// Edge gateways (issue 3): register one to get its token, list them with the status they last reported on
/// <c>fabrica/edges/{id}/status</c>. An edge connects over MQTT with its id and token and may publish for the devices
/// it owns; devices it announces that nobody registered become its own on first publish.
/// </summary>
internal static partial class EdgesApi
{
    public static RouteGroupBuilder MapEdgesApi(this RouteGroupBuilder edges)
    {
        edges.MapPost("/", Register).RequireAuthorization(Policies.Engineer)
            .WithName("RegisterEdge").WithSummary("Register an edge gateway; the answer holds its token, shown only this once");
        edges.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithName("ListEdges").WithSummary("Edges with their devices, connection state and last reported status (config version, links, buffer depth, last error)");
        edges.MapGet("/{edgeId}", Get).RequireAuthorization(Policies.Viewer)
            .WithName("GetEdge").WithSummary("One edge with its devices and last reported status");
        edges.MapDelete("/{edgeId}", Delete).RequireAuthorization(Policies.Engineer)
            .WithName("DeleteEdge").WithSummary("Delete an edge; its token stops working and its devices stay registered, unassigned");
        edges.MapEdgeRulesApi();
        return edges;
    }

    private static async Task<Results<Created<EdgeCreated>, ValidationProblem, Conflict<ProblemDetails>>> Register(
        EdgeRequest request, HttpContext http, GatewayRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Id))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["An edge id is required."] });
        try
        {
            var created = await registry.RegisterAsync(request.Id, request.Name ?? request.Id, http.AuditCaller(), cancellationToken);
            return TypedResults.Created($"/api/v1/edges/{created.Gateway.Id}",
                new EdgeCreated(created.Gateway.Id, created.Gateway.Name, created.Gateway.CreatedAt, created.Token));
        }
        catch (DuplicateIdException)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Title = "Edge exists",
                Detail = $"An edge '{request.Id}' is already registered.",
                Status = StatusCodes.Status409Conflict,
            });
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.ParamName ?? "id"] = [e.Message] });
        }
    }

    private static async Task<Ok<IReadOnlyList<EdgeView>>> List(GatewayRegistry registry, EdgeStatusBoard board, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<EdgeView>>((await registry.ListAsync(cancellationToken)).Select(g => EdgeView.From(g, board.Get(g.Id))).ToList());

    private static async Task<Results<Ok<EdgeView>, NotFound>> Get(string edgeId, GatewayRegistry registry, EdgeStatusBoard board, CancellationToken cancellationToken) =>
        await registry.GetAsync(edgeId, cancellationToken) is { } gateway ? TypedResults.Ok(EdgeView.From(gateway, board.Get(edgeId))) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Delete(
        string edgeId, HttpContext http, GatewayRegistry registry, EdgeStatusBoard board, EdgeConfigStore configs, Mqtt.EdgeConfigChannel channel,
        CancellationToken cancellationToken)
    {
        if (!await registry.DeleteAsync(edgeId, http.AuditCaller(), cancellationToken))
            return TypedResults.NotFound();
        board.Forget(edgeId);
        configs.Delete(edgeId);
        await channel.ClearAsync(edgeId, cancellationToken);
        return TypedResults.NoContent();
    }
}

internal sealed record EdgeRequest(string Id, string? Name);

/// <param name="Token">The edge's MQTT password. Shown only in this answer.</param>
internal sealed record EdgeCreated(string Id, string Name, long CreatedAt, string Token);

/// <param name="Online">Connected to the broker now (false when it never connected since the platform started).</param>
/// <param name="Status">The last status message the edge published, as it sent it.</param>
internal sealed record EdgeView(string Id, string Name, long CreatedAt, IReadOnlyList<string> Devices, bool Online, long? StatusSince,
    System.Text.Json.JsonElement? Status)
{
    public static EdgeView From(Gateway gateway, EdgeStatus? status) =>
        new(gateway.Id, gateway.Name, gateway.CreatedAt, gateway.DeviceIds, status?.Online ?? false, status?.Since, status?.Report);
}
