using Fabrica.Platform.Models;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>Asset types (issue 7, scope 1): templates with tags and units, attributes and commands.</summary>
internal static class AssetTypesApi
{
    public static RouteGroupBuilder MapAssetTypesApi(this RouteGroupBuilder types)
    {
        types.MapGet("/", (ModelCatalog catalog) => TypedResults.Ok(catalog.Current.TypeList)).RequireAuthorization(Policies.Viewer)
            .WithName("ListAssetTypes").WithSummary("Asset types, in the order they were defined");
        types.MapGet("/{typeId}", Get).RequireAuthorization(Policies.Viewer).WithName("GetAssetType").WithSummary("One asset type");
        types.MapPost("/", Create).RequireAuthorization(Policies.Engineer).WithName("CreateAssetType").WithSummary("Create an asset type");
        types.MapPut("/{typeId}", Put).RequireAuthorization(Policies.Engineer)
            .WithName("PutAssetType").WithSummary("Create or replace an asset type; assets and rules that use it are re-checked");
        types.MapDelete("/{typeId}", Delete).RequireAuthorization(Policies.Engineer)
            .WithName("DeleteAssetType").WithSummary("Delete an asset type that no asset or rule uses");
        return types;
    }

    private static Results<Ok<AssetType>, NotFound> Get(string typeId, ModelCatalog catalog) =>
        catalog.Current.Types.TryGetValue(typeId, out var type) ? TypedResults.Ok(type) : TypedResults.NotFound();

    private static async Task<Results<Created<AssetType>, ValidationProblem, Conflict<ProblemDetails>>> Create(HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (type, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.AssetType, cancellationToken);
        if (type is null)
            return problem!;
        if (type.Id is not null && catalog.Current.Types.ContainsKey(type.Id))
            return TypedResults.Conflict(AssetsApi.Problem(StatusCodes.Status409Conflict, "Asset type exists", $"An asset type '{type.Id}' exists. Replace it with PUT /api/v1/asset-types/{type.Id}."));
        try
        {
            await catalog.PutTypeAsync(type, http.AuditCaller(), cancellationToken);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
        return TypedResults.Created($"/api/v1/asset-types/{type.Id}", type);
    }

    private static async Task<Results<Ok<AssetType>, Created<AssetType>, ValidationProblem>> Put(string typeId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (type, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.AssetType, cancellationToken);
        if (type is null)
            return problem!;
        if (type.Id != typeId)
            return ModelRequests.Invalid("id", $"is '{type.Id}' but the URL names asset type '{typeId}'");
        try
        {
            return await catalog.PutTypeAsync(type, http.AuditCaller(), cancellationToken)
                ? TypedResults.Created($"/api/v1/asset-types/{type.Id}", type)
                : TypedResults.Ok(type);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
    }

    private static async Task<Results<NoContent, NotFound, Conflict<ProblemDetails>>> Delete(string typeId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.DeleteTypeAsync(typeId, http.AuditCaller(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
        }
        catch (ModelConflictException e)
        {
            return TypedResults.Conflict(AssetsApi.Problem(StatusCodes.Status409Conflict, "Asset type in use", e.Message));
        }
    }
}
