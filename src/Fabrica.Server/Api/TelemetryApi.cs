using System.Text.Json;
using Fabrica.Server.Auth;
using Fabrica.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fabrica.Server.Api;

/// <summary>Reads of stored telemetry: latest values and raw or aggregated ranges (issue 2, scope 4).</summary>
internal static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryQueryApi(this RouteGroupBuilder devices)
    {
        devices.MapGet("/{deviceId}/latest", GetLatest)
            .WithName("GetLatestTelemetry")
            .WithSummary("Latest value of every tag of a device")
            .Produces<Dictionary<string, TelemetryPoint>>(contentType: "application/json");
        devices.MapGet("/{deviceId}/telemetry", GetTelemetry)
            .WithName("GetTelemetry")
            .WithSummary("Raw or aggregated telemetry of a device")
            .WithDescription("`from`/`to`: epoch ms or RFC 3339 (default: the last hour). `interval` (500ms, 10s, 1m, 1h, 1d) "
                + "selects aggregation with `agg` = avg|min|max|sum|count|first|last (default avg); buckets are aligned to the Unix "
                + "epoch and roll-up tiers are used when they divide the interval. Without `interval` raw samples are returned. "
                + $"`keys`: comma-separated tags (default: all). `limit`: points per key, default {QueryParameters.DefaultLimit}, "
                + $"maximum {QueryParameters.MaxLimit}.")
            .Produces<Dictionary<string, TelemetryPoint[]>>(contentType: "application/json");
        return devices;
    }

    private static Results<EmptyHttpResult, NotFound<ProblemDetails>, ForbidHttpResult> GetLatest(
        string deviceId, HttpContext http, TimeSeriesEngine storage)
    {
        if (!http.User.CanReadDevice(deviceId))
            return TypedResults.Forbid();
        var series = storage.ListSeries(device: deviceId);
        var response = http.Response;
        response.ContentType = "application/json; charset=utf-8";
        using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        foreach (var info in series)
        {
            if (storage.ReadLatest(info.Key) is not { } latest)
                continue;
            writer.WritePropertyName(info.Key.Tag);
            TelemetryJson.WriteSample(writer, latest);
        }
        writer.WriteEndObject();
        writer.Flush();
        return TypedResults.Empty;
    }

    private static Results<EmptyHttpResult, ValidationProblem, ForbidHttpResult> GetTelemetry(
        string deviceId, HttpContext http, TimeSeriesEngine storage, TimeProvider time,
        [FromQuery] string? keys, [FromQuery] string? from, [FromQuery] string? to,
        [FromQuery] string? interval, [FromQuery] string? agg, [FromQuery] int? limit)
    {
        if (!http.User.CanReadDevice(deviceId))
            return TypedResults.Forbid();
        var problem = WriteSeries(http, storage, time, wanted => wanted is null
            ? storage.ListSeries(device: deviceId).Select(s => (s.Key.Tag, s.Key))
            : wanted.Select(tag => (tag, new SeriesKey(deviceId, tag))), keys, from, to, interval, agg, limit);
        return problem is null ? TypedResults.Empty : problem;
    }

    /// <summary>
    /// Answers a telemetry query for named series (the device route's tags, or an asset's tags and KPIs): validates
    /// the parameters, then streams <c>{name: [points]}</c>. Returns the problem, or null once the answer is written.
    /// </summary>
    /// <param name="resolve">The requested names (null: all) → (name in the answer, stored series).</param>
    internal static ValidationProblem? WriteSeries(
        HttpContext http, TimeSeriesEngine storage, TimeProvider time, Func<string[]?, IEnumerable<(string Name, SeriesKey Key)>> resolve,
        string? keys, string? from, string? to, string? interval, string? agg, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var now = UnixTime.Now(time);
        long toMs = now + 1, fromMs = 0;
        if (to is not null && !QueryParameters.TryParseTime(to, out toMs))
            errors["to"] = ["Use epoch milliseconds or an RFC 3339 date-time such as 2026-11-30T08:00:00Z."];
        if (from is not null && !QueryParameters.TryParseTime(from, out fromMs))
            errors["from"] = ["Use epoch milliseconds or an RFC 3339 date-time such as 2026-11-30T07:00:00Z."];
        else if (from is null)
            fromMs = toMs - (long)QueryParameters.DefaultRange.TotalMilliseconds;
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to") && fromMs >= toMs)
            errors["from"] = ["`from` must be before `to`."];
        var bucket = TimeSpan.Zero;
        if (interval is not null && !QueryParameters.TryParseInterval(interval, out bucket))
            errors["interval"] = ["Use a positive whole number and a unit: 500ms, 10s, 1m, 1h or 1d."];
        if (!QueryParameters.TryParseAggregate(agg, out var aggregate))
            errors["agg"] = ["Use one of avg, min, max, sum, count, first, last."];
        if (agg is not null && interval is null)
            errors["agg"] = ["`agg` needs an `interval`; without one the raw samples are returned."];
        var pointLimit = limit ?? QueryParameters.DefaultLimit;
        if (pointLimit is < 1 or > QueryParameters.MaxLimit)
            errors["limit"] = [$"Use a number from 1 to {QueryParameters.MaxLimit}."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "Invalid telemetry query");

        var series = resolve(QueryParameters.SplitKeys(keys));

        var response = http.Response;
        response.ContentType = "application/json; charset=utf-8";
        using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        foreach (var (name, key) in series)
        {
            writer.WritePropertyName(name);
            writer.WriteStartArray();
            if (interval is null)
            {
                foreach (var sample in storage.ReadRaw(key, fromMs, toMs, pointLimit))
                    TelemetryJson.WriteSample(writer, sample);
            }
            else
            {
                foreach (var b in storage.ReadAggregates(key, fromMs, toMs, bucket, pointLimit).Buckets)
                {
                    if (b.Count > 0)
                        TelemetryJson.WriteBucket(writer, b, aggregate);
                }
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.Flush();
        return null;
    }
}

/// <summary>One point of a telemetry answer, for the OpenAPI document (answers are written by <see cref="TelemetryJson"/>).</summary>
/// <param name="Ts">UTC Unix milliseconds.</param>
/// <param name="Value">Number, boolean or string; null for a stored NaN or infinity.</param>
/// <param name="Q">Absent when good; "uncertain" or "bad" otherwise.</param>
internal sealed record TelemetryPoint(long Ts, JsonElement Value, string? Q);
