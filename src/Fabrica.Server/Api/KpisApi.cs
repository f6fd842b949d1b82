using Fabrica.Platform.Analytics;
using Fabrica.Platform.Models;
using Fabrica.Platform.Twins;
using Fabrica.Server.Auth;
using Fabrica.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>
/// An asset's KPIs per shift or day and its own series — measured, computed and KPI tags — with the device
/// telemetry route's parameters and shape (issue 7, scope 6).
/// </summary>
internal static class KpisApi
{
    public static RouteGroupBuilder MapAssetKpisApi(this RouteGroupBuilder assets)
    {
        assets.MapGet("/{assetId}/kpis", GetKpis).RequireAuthorization(Policies.Viewer)
            .WithName("GetAssetKpis")
            .WithSummary("OEE, energy per good part, MTBF/MTTR and alarms of an asset per shift or day")
            .WithDescription("`per` = shift (default) or day, over the shift calendar of the asset or its nearest ancestor "
                + "(default: three 8-hour shifts from 06:00, 14:00, 22:00 UTC). Every whole shift or day that overlaps "
                + "[`from`, `to`) is returned (epoch ms or RFC 3339; default: the last 24 hours); a period still running is "
                + "`complete: false` and covers it up to now. Availability = run time / planned production time (the period "
                + "less breaks, time no shift covers and planned downtime); performance = ideal cycle time × total count / run "
                + "time; quality = good / total; OEE = their product. A line or site combines the equipment below it "
                + "(time-weighted). MTBF = run time / unplanned stops, MTTR = down time / unplanned stops, in ms. Figures the "
                + "asset type's `kpis` tags do not provide are null. Ended periods are also stored as series `kpi.shift.*` and "
                + "`kpi.day.*` (see /telemetry).")
            .Produces<KpiReport>();
        assets.MapGet("/{assetId}/telemetry", GetTelemetry).RequireAuthorization(Policies.Viewer)
            .WithName("GetAssetTelemetry")
            .WithSummary("Raw or aggregated series of an asset's own tags: measured (from the bound device series), computed, set by rules, and KPIs")
            .WithDescription("Parameters and answer as `GET /api/v1/devices/{deviceId}/telemetry` (`keys`, `from`, `to`, `interval`, "
                + "`agg`, `limit`). `keys` are the asset type's tag names and the asset's stored series (`kpi.shift.oee`, …); "
                + "without `keys`: every tag of the type and every stored asset series.")
            .Produces<Dictionary<string, TelemetryPoint[]>>(contentType: "application/json");
        return assets;
    }

    private static async Task<Results<Ok<KpiReport>, NotFound<ProblemDetails>, ValidationProblem>> GetKpis(
        string assetId, ModelCatalog catalog, KpiCalculator kpis, TimeProvider time,
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? per, CancellationToken cancellationToken)
    {
        var model = catalog.Current;
        if (!model.Assets.ContainsKey(assetId))
            return TypedResults.NotFound(AssetsApi.Problem(StatusCodes.Status404NotFound, "No such asset", $"There is no asset '{assetId}'."));
        var errors = new Dictionary<string, string[]>();
        var now = UnixTime.Now(time);
        long toMs = now, fromMs = 0;
        if (to is not null && !QueryParameters.TryParseTime(to, out toMs))
            errors["to"] = ["Use epoch milliseconds or an RFC 3339 date-time such as 2026-11-30T14:00:00Z."];
        if (from is not null && !QueryParameters.TryParseTime(from, out fromMs))
            errors["from"] = ["Use epoch milliseconds or an RFC 3339 date-time such as 2026-11-30T06:00:00Z."];
        else if (from is null)
            fromMs = toMs - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        if (errors.Count == 0 && fromMs >= toMs)
            errors["from"] = ["`from` must be before `to`."];
        var grouping = KpiGrouping.Shift;
        if (per is not null && !Enum.TryParse(per, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || per is { Length: > 0 } && char.IsAsciiDigit(per[0]))
            errors["per"] = ["Use shift or day."];
        if (KpiCalculator.Equipment(model, assetId).Count == 0)
            errors["assetId"] = [$"Asset '{model.PathOf(assetId)}' has no KPIs: neither its type nor any asset below it declares `kpis`."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "Invalid KPI query");
        try
        {
            var periods = await kpis.ComputeAsync(assetId, fromMs, toMs, grouping, cancellationToken);
            return TypedResults.Ok(new KpiReport(assetId, model.PathOf(assetId), grouping == KpiGrouping.Shift ? "shift" : "day", periods));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [e.Message] }, title: "Invalid KPI query");
        }
    }

    private static Results<EmptyHttpResult, NotFound<ProblemDetails>, ValidationProblem> GetTelemetry(
        string assetId, HttpContext http, ModelCatalog catalog, TimeSeriesEngine storage, TimeProvider time,
        [FromQuery] string? keys, [FromQuery] string? from, [FromQuery] string? to,
        [FromQuery] string? interval, [FromQuery] string? agg, [FromQuery] int? limit)
    {
        var model = catalog.Current;
        if (!model.Assets.TryGetValue(assetId, out var asset))
            return TypedResults.NotFound(AssetsApi.Problem(StatusCodes.Status404NotFound, "No such asset", $"There is no asset '{assetId}'."));
        var own = ProductionLoop.SeriesPrefix + asset.Id;
        var type = model.TypeOf(asset);
        IEnumerable<(string, SeriesKey)> Resolve(string[]? wanted)
        {
            if (wanted is not null)
                return wanted.Select(name => (name, type?.FindTag(name) is null ? new SeriesKey(own, name) : KpiCalculator.SeriesOf(model, asset, name)));
            var tags = (type?.TagList ?? []).Select(t => (t.Name, KpiCalculator.SeriesOf(model, asset, t.Name))).ToList();
            var names = tags.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            tags.AddRange(storage.ListSeries(device: own).Where(s => !names.Contains(s.Key.Tag)).Select(s => (s.Key.Tag, s.Key)));
            return tags;
        }
        var problem = TelemetryApi.WriteSeries(http, storage, time, Resolve, keys, from, to, interval, agg, limit);
        return problem is null ? TypedResults.Empty : problem;
    }
}

/// <param name="Per"><c>shift</c> or <c>day</c>.</param>
internal sealed record KpiReport(string Asset, string Path, string Per, IReadOnlyList<KpiFigures> Periods);
