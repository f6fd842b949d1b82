using Fabrica.Platform.Models;
using Fabrica.Storage;

namespace Fabrica.Server.WebConsole;

/// <summary>
/// Reads a trend: for each tag, bucketed averages from storage (the engine's aggregate query, which the REST API's
/// <c>?interval=</c> also uses, roll-up tiers included), with one bucket width for all tags so that they share one
/// time axis. The width is the smallest "round" interval that keeps the range within <see cref="MaxBuckets"/>.
/// </summary>
public static class TrendQuery
{
    /// <summary>About one bucket per horizontal pixel of a wide chart: more cannot be seen, fewer hides spikes.</summary>
    public const int MaxBuckets = 2000;

    private static readonly TimeSpan[] Widths =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    public static TimeSpan BucketFor(long from, long to)
    {
        var wanted = TimeSpan.FromMilliseconds(Math.Max(1, to - from) / (double)MaxBuckets);
        foreach (var width in Widths)
        {
            if (width >= wanted)
                return width;
        }
        return TimeSpan.FromDays(Math.Ceiling(wanted.TotalDays / 7) * 7);
    }

    public static TrendData Read(TimeSeriesEngine storage, IReadOnlyList<(TagDefinition Tag, SeriesKey Series)> tags, long from, long to)
    {
        var bucket = BucketFor(from, to);
        var perTag = new List<Dictionary<long, double>>(tags.Count);
        var starts = new SortedSet<long>();
        foreach (var (_, series) in tags)
        {
            var points = new Dictionary<long, double>();
            foreach (var b in storage.ReadAggregates(series, from, to, bucket, MaxBuckets + 2).Buckets)
            {
                if (b.Count == 0)
                    continue;
                points[b.Start] = b.Average;
                starts.Add(b.Start);
            }
            perTag.Add(points);
        }
        var x = starts.ToArray();
        var columns = new TrendSeries[tags.Count];
        for (var i = 0; i < tags.Count; i++)
        {
            var values = new double?[x.Length];
            for (var j = 0; j < x.Length; j++)
                values[j] = perTag[i].TryGetValue(x[j], out var v) && double.IsFinite(v) ? v : null;
            columns[i] = new TrendSeries(tags[i].Tag.Name, tags[i].Tag.Unit, values);
        }
        return new TrendData(x, columns, bucket);
    }

    public static string Describe(TimeSpan width) =>
        width.TotalDays >= 1 ? $"{width.TotalDays:0} d" : width.TotalHours >= 1 ? $"{width.TotalHours:0} h"
        : width.TotalMinutes >= 1 ? $"{width.TotalMinutes:0} min" : $"{width.TotalSeconds:0} s";
}

/// <summary>A trend as the chart takes it: bucket starts (UTC Unix ms) and one column of averages per tag (null = no data).</summary>
public sealed record TrendData(long[] X, TrendSeries[] Series, TimeSpan Bucket)
{
    public object ToJs() => new { x = X, series = Series.Select(s => new { label = s.Label, unit = s.Unit, values = s.Values }) };
}

public sealed record TrendSeries(string Label, string? Unit, double?[] Values);
