using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Fabrica.Platform.Alarms;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Fabrica.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// Assets in the ISA-95 tree (issue 7, scope 1–2): CRUD, subtree listing by path, live twin state, and the whole model
/// as one document (<c>GET|PUT /api/v1/model</c>).
/// </summary>
internal static class AssetsApi
{
    /// <summary>Maps every route of the digital model: asset types, assets, model, rules, alarms, commands.</summary>
    public static RouteGroupBuilder MapModelApis(this RouteGroupBuilder v1)
    {
        v1.MapGroup("/asset-types").WithTags("Asset types").MapAssetTypesApi();
        v1.MapGroup("/assets").WithTags("Assets").MapAssetsApi();
        v1.MapGroup("/assets").WithTags("KPIs").MapAssetKpisApi();
        v1.MapGroup("/assets").WithTags("Alarms").MapAssetAlarmEventsApi();
        v1.MapGroup("/rules").WithTags("Rules").MapRulesApi();
        v1.MapGroup("/alarms").WithTags("Alarms").MapAlarmsApi();
        v1.MapCommandsApi();
        v1.MapGet("/model", (ModelCatalog catalog) => TypedResults.Ok(catalog.Current.ToDocument())).RequireAuthorization(Policies.Viewer)
            .WithTags("Assets").WithName("ExportModel").WithSummary("The whole model — asset types, assets, rules — as one document");
        v1.MapPut("/model", ImportModel).RequireAuthorization(Policies.Engineer)
            .WithTags("Assets").WithName("ImportModel").WithSummary("Replace the whole model with a document; nothing changes when any part is invalid");
        return v1;
    }

    private static RouteGroupBuilder MapAssetsApi(this RouteGroupBuilder assets)
    {
        assets.MapGet("/", List).RequireAuthorization(Policies.Viewer)
            .WithName("ListAssets").WithSummary("Assets, parents before children; `path` limits the list to a subtree, `type` to one asset type");
        assets.MapGet("/{assetId}", Get).RequireAuthorization(Policies.Viewer).WithName("GetAsset").WithSummary("One asset with its path");
        assets.MapPost("/", Create).RequireAuthorization(Policies.Engineer).WithName("CreateAsset").WithSummary("Create an asset");
        assets.MapPut("/{assetId}", Put).RequireAuthorization(Policies.Engineer)
            .WithName("PutAsset").WithSummary("Create or replace an asset; a new parent or key moves its subtree");
        assets.MapDelete("/{assetId}", Delete).RequireAuthorization(Policies.Engineer).WithName("DeleteAsset").WithSummary("Delete an asset without children or rules");
        assets.MapGet("/{assetId}/twin", Twin).RequireAuthorization(Policies.Viewer)
            .WithName("GetAssetTwin").WithSummary("Live state: latest value of each tag (measured and computed), status, open alarms");
        assets.MapGet("/{assetId}/td", ThingDescriptionOf).RequireAuthorization(Policies.Viewer)
            .WithName("GetAssetThingDescription").WithSummary("The asset as a W3C WoT Thing Description 1.1: tags and attributes as properties, commands as actions");
        assets.MapGet("/{assetId}/properties/{name}", Property).RequireAuthorization(Policies.Viewer)
            .WithName("GetAssetProperty").WithSummary("One tag's latest value (from the twin) or one attribute, as plain JSON (the TD's readproperty form)");
        return assets;
    }

    private static Results<ContentHttpResult, NotFound> ThingDescriptionOf(string assetId, HttpContext http, ModelCatalog catalog)
    {
        var model = catalog.Current;
        if (!model.Assets.ContainsKey(assetId))
            return TypedResults.NotFound();
        var origin = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
        return TypedResults.Text(ThingDescription.Build(model, assetId, origin).ToJsonString(), ThingDescription.MediaType);
    }

    private static Results<ContentHttpResult, NotFound<ProblemDetails>> Property(string assetId, string name, ModelCatalog catalog, TwinBoard twins)
    {
        var model = catalog.Current;
        if (!model.Assets.ContainsKey(assetId))
            return TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "No such asset", $"There is no asset '{assetId}'."));
        var json = ThingDescription.PropertyValue(model, assetId, name, tag => twins.Find(assetId)?.Get(tag)?.Value);
        return json is null
            ? TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "No value", $"Asset '{model.PathOf(assetId)}' has no value for '{name}' yet, or no such tag or attribute."))
            : TypedResults.Text(json, "application/json");
    }

    private static Results<Ok<IReadOnlyList<AssetView>>, NotFound<ProblemDetails>> List(ModelCatalog catalog, string? path, string? type)
    {
        var model = catalog.Current;
        IEnumerable<Asset> assets;
        if (string.IsNullOrEmpty(path))
        {
            assets = model.AssetList.Where(a => a.Parent is null).SelectMany(a => model.Subtree(a.Id));
        }
        else if (model.FindByPath(path) is { } root)
        {
            assets = model.Subtree(root.Id);
        }
        else
        {
            return TypedResults.NotFound(Problem(StatusCodes.Status404NotFound, "No such path", $"No asset has the path '{path}'."));
        }
        if (type is not null)
            assets = assets.Where(a => a.Type == type);
        return TypedResults.Ok<IReadOnlyList<AssetView>>([.. assets.Select(a => AssetView.From(a, model))]);
    }

    private static Results<Ok<AssetView>, NotFound> Get(string assetId, ModelCatalog catalog)
    {
        var model = catalog.Current;
        return model.Assets.TryGetValue(assetId, out var asset) ? TypedResults.Ok(AssetView.From(asset, model)) : TypedResults.NotFound();
    }

    private static async Task<Results<Created<AssetView>, ValidationProblem, Conflict<ProblemDetails>>> Create(HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (asset, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.Asset, cancellationToken);
        if (asset is null)
            return problem!;
        if (asset.Id is not null && catalog.Current.Assets.ContainsKey(asset.Id))
            return TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Asset exists", $"An asset '{asset.Id}' exists at '{catalog.Current.PathOf(asset.Id)}'. Replace it with PUT /api/v1/assets/{asset.Id}."));
        try
        {
            await catalog.PutAssetAsync(asset, http.AuditCaller(), cancellationToken);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
        return TypedResults.Created($"/api/v1/assets/{asset.Id}", AssetView.From(asset, catalog.Current));
    }

    private static async Task<Results<Ok<AssetView>, Created<AssetView>, ValidationProblem>> Put(string assetId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (asset, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.Asset, cancellationToken);
        if (asset is null)
            return problem!;
        if (asset.Id != assetId)
            return ModelRequests.Invalid("id", $"is '{asset.Id}' but the URL names asset '{assetId}'; to rename an asset, create the new one and delete the old");
        try
        {
            var created = await catalog.PutAssetAsync(asset, http.AuditCaller(), cancellationToken);
            var view = AssetView.From(asset, catalog.Current);
            return created ? TypedResults.Created($"/api/v1/assets/{asset.Id}", view) : TypedResults.Ok(view);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
    }

    private static async Task<Results<NoContent, NotFound, Conflict<ProblemDetails>>> Delete(string assetId, HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            return await catalog.DeleteAssetAsync(assetId, http.AuditCaller(), cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
        }
        catch (ModelConflictException e)
        {
            return TypedResults.Conflict(Problem(StatusCodes.Status409Conflict, "Asset in use", e.Message));
        }
    }

    private static Results<Ok<TwinView>, NotFound> Twin(string assetId, ModelCatalog catalog, TwinBoard twins, AlarmBook alarms)
    {
        var model = catalog.Current;
        if (!model.Assets.TryGetValue(assetId, out var asset))
            return TypedResults.NotFound();
        var type = model.TypeOf(asset);
        var twin = twins.Find(assetId);
        var values = new SortedDictionary<string, TwinTagView>(StringComparer.Ordinal);
        foreach (var (tag, reading) in twin?.Values() ?? [])
            values[tag] = new TwinTagView(reading.Value, reading.Timestamp, reading.Quality.ToString().ToLowerInvariant(), reading.Computed, type?.FindTag(tag)?.Unit);
        var open = alarms.OpenFor(assetId);
        var status = open.Any(a => a.IsActive) ? "alarm" : twin?.LastSeen is null ? "noData" : "normal";
        return TypedResults.Ok(new TwinView(assetId, model.PathOf(assetId), status, twin?.LastSeen, values, open));
    }

    private static async Task<Results<Ok<ModelImported>, ValidationProblem>> ImportModel(HttpContext http, ModelCatalog catalog, CancellationToken cancellationToken)
    {
        var (document, problem) = await ModelRequests.ReadAsync(http.Request, ModelJsonContext.Default.ModelDocument, cancellationToken);
        if (document is null)
            return problem!;
        try
        {
            await catalog.ImportAsync(document, http.AuditCaller(), cancellationToken);
        }
        catch (ModelValidationException e)
        {
            return ModelRequests.Invalid(e);
        }
        var model = catalog.Current;
        return TypedResults.Ok(new ModelImported(model.TypeList.Count, model.AssetList.Count, model.RuleList.Count));
    }

    internal static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}

/// <summary>Request bodies read with the model's JSON rules, so that a malformed body names the field at fault.</summary>
internal static class ModelRequests
{
    public static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null ? (null, Invalid("$", "The body is empty; send a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, e.Message));
        }
    }

    public static ValidationProblem Invalid(ModelValidationException e) =>
        TypedResults.ValidationProblem(e.ToDictionary(), detail: e.Errors.Count == 1 ? e.Errors[0].ToString() : $"{e.Errors.Count} problems; see errors.", title: "The model change is invalid");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}", title: "The request is invalid");
}

/// <summary>An asset as the API shows it: with its path.</summary>
internal sealed record AssetView(
    string Id, string Path, string Name, AssetLevel Level, string Key, string? Parent, string? Type,
    IReadOnlyDictionary<string, JsonElement>? Attributes, IReadOnlyDictionary<string, TagBinding>? Bindings, string? Device, string? Description,
    ShiftCalendar? Calendar = null)
{
    public static AssetView From(Asset a, PlantModel model) =>
        new(a.Id, model.PathOf(a.Id), a.Name ?? a.Id, a.Level, a.PathKey, a.Parent, a.Type, a.Attributes, a.Bindings, a.Device, a.Description, a.Calendar);
}

/// <param name="Status"><c>alarm</c> (an active alarm), <c>normal</c>, or <c>noData</c> (nothing received since the platform started).</param>
/// <param name="LastSeen">When data for the asset last arrived (platform clock, UTC Unix ms).</param>
internal sealed record TwinView(string Id, string Path, string Status, long? LastSeen, IReadOnlyDictionary<string, TwinTagView> Values, IReadOnlyList<Alarm> Alarms);

internal sealed record TwinTagView([property: JsonConverter(typeof(SampleValueJsonConverter))] SampleValue Value, long Timestamp, string Quality, bool Computed, string? Unit);

internal sealed record ModelImported(int AssetTypes, int Assets, int Rules);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AssetView))]
[JsonSerializable(typeof(IReadOnlyList<AssetView>))]
[JsonSerializable(typeof(TwinView))]
[JsonSerializable(typeof(ModelImported))]
[JsonSerializable(typeof(KpiReport))]
[JsonSerializable(typeof(AlarmPointRequest))]
[JsonSerializable(typeof(IReadOnlyList<AssetType>))]
[JsonSerializable(typeof(IReadOnlyList<AssetRule>))]
[JsonSerializable(typeof(ShelveRequest))]
[JsonSerializable(typeof(CommentRequest))]
[JsonSerializable(typeof(DeviceCommandRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ModelsApiJsonContext : JsonSerializerContext;
