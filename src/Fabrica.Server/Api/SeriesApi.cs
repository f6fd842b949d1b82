using Fabrica.Server.Auth;
using Fabrica.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fabrica.Server.Api;

/// <summary>Which series are stored: by device, by tag, or both (the storage engine's series listing).</summary>
internal static class SeriesApi
{
    public static RouteGroupBuilder MapSeriesApi(this RouteGroupBuilder series)
    {
        series.MapGet("/", List).WithName("ListSeries")
            .WithSummary("Stored series, filtered by exact `device` and/or `tag`; with the kind of the latest value and the time range");
        return series;
    }

    private static Ok<IReadOnlyList<SeriesView>> List(HttpContext http, TimeSeriesEngine storage, string? device, string? tag)
    {
        var visible = storage.ListSeries(device, tag)
            .Where(s => http.User.CanReadDevice(s.Key.Device))
            .Select(s => new SeriesView(s.Key.Device, s.Key.Tag, s.LastKind.ToString().ToLowerInvariant(), s.FirstTimestamp, s.LastTimestamp))
            .ToList();
        return TypedResults.Ok<IReadOnlyList<SeriesView>>(visible);
    }
}

/// <param name="Kind">double, long, bool or string: the kind of the latest value.</param>
/// <param name="First">Oldest stored timestamp (UTC Unix ms).</param>
/// <param name="Last">Newest stored timestamp (UTC Unix ms).</param>
internal sealed record SeriesView(string Device, string Tag, string Kind, long First, long Last);
