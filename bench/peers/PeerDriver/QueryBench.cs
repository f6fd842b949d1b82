using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Fabrica.Bench.Peers;

/// <summary>
/// <c>influx-query</c> and <c>fabrica-query</c>: the same question to both systems, timed end to end over HTTP
/// (request sent → whole answer parsed), repeated; the checksum (sum of all returned values) shows the answers agree.
/// <list type="bullet">
/// <item><c>--kind hour</c>: 1 h mean of each series over the last hour of the data set.</item>
/// <item><c>--kind day</c>: every series over the whole day into 1-hour means.</item>
/// <item><c>--kind count</c>: number of stored points over the whole data set (a load check, not timed for the report).</item>
/// </list>
/// InfluxDB answers each with one InfluxQL statement. Fabrica's query API is per device, so a question over all
/// series is one request per device (all its tags in one answer), <c>--concurrency</c> requests at a time.
/// </summary>
internal static class QueryBench
{
    private sealed record Window(long From, long To, string Interval, string Agg);

    private static Window For(Options o)
    {
        var start = o.Long("start-ms");
        var end = start + o.Int("seconds", 86_400) * 1000L;
        return o.String("kind") switch
        {
            "hour" => new Window(end - 3_600_000, end, "1h", "mean"),
            "day" => new Window(start, end, "1h", "mean"),
            "count" => new Window(start, end, "", "count"),
            var k => throw new ArgumentException($"--kind {k}: use hour, day or count."),
        };
    }

    public static async Task<int> InfluxAsync(Options o)
    {
        var w = For(o);
        using var http = new HttpClient { BaseAddress = new Uri(o.String("url")), Timeout = TimeSpan.FromMinutes(10) };
        var groupBy = w.Agg == "count" ? "" : w.Interval == "1h" && o.String("kind") == "day" ? " GROUP BY time(1h), \"device\", \"tag\"" : " GROUP BY \"device\", \"tag\"";
        var q = $"SELECT {w.Agg}(\"value\") FROM \"sensor\" WHERE time >= {w.From}ms AND time < {w.To}ms{groupBy}";
        var db = o.String("db", "bench");
        return await RepeatAsync(o, "influxdb", async () =>
        {
            using var response = await http.GetAsync(new Uri($"query?db={db}&epoch=ms&q={Uri.EscapeDataString(q)}", UriKind.Relative));
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var doc = await JsonDocument.ParseAsync(stream);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"InfluxDB: {(int)response.StatusCode} {doc.RootElement}");
            var result = doc.RootElement.GetProperty("results")[0];
            if (result.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"InfluxDB: {error}");
            var tally = new Tally();
            if (result.TryGetProperty("series", out var series))
            {
                foreach (var s in series.EnumerateArray())
                    tally.AddSeries(s.GetProperty("values").EnumerateArray().Select(row => row[1]));
            }
            return tally;
        });
    }

    public static async Task<int> FabricaAsync(Options o)
    {
        var w = For(o);
        var devices = o.Int("devices", 100);
        var concurrency = o.Int("concurrency", 4);
        var prefix = o.String("device-prefix", "d");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        { BaseAddress = new Uri(o.String("server")), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.String("token"));
        var (interval, agg) = w.Agg == "count" ? ("1d", "count") : (w.Interval, "avg");
        return await RepeatAsync(o, "fabrica", async () =>
        {
            var tally = new Tally();
            var gate = new object();
            await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (d, ct) =>
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}{d:D3}");
                using var response = await http.GetAsync(new Uri(
                    $"api/v1/devices/{id}/telemetry?from={w.From}&to={w.To}&interval={interval}&agg={agg}&limit=100000", UriKind.Relative), ct);
                await using var stream = await response.Content.ReadAsStreamAsync(ct);
                using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"Fabrica {id}: {(int)response.StatusCode} {doc.RootElement}");
                lock (gate)
                {
                    foreach (var tag in doc.RootElement.EnumerateObject())
                        tally.AddSeries(tag.Value.EnumerateArray().Select(p => p.GetProperty("value")));
                }
            });
            return tally;
        });
    }

    private static async Task<int> RepeatAsync(Options o, string system, Func<Task<Tally>> query)
    {
        var repeat = o.Int("repeat", 5);
        var times = new List<double>();
        Tally? last = null;
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            last = await query();
            times.Add(clock.Elapsed.TotalSeconds);
            Report.Progress($"  {system} {o.String("kind")} #{i + 1}: {times[^1]:F3} s, {last.Series} series, {last.Points} points");
        }
        var sorted = times.Order().ToList();
        Report.Line(("system", system), ("kind", o.String("kind")), ("series", last!.Series), ("points", last.Points),
            ("checksum", last.Sum.ToString("R", CultureInfo.InvariantCulture)), ("first_s", times[0]), ("median_s", Report.Percentile(sorted, 0.5)), ("min_s", sorted[0]),
            ("repeat", repeat));
        return 0;
    }

    private sealed class Tally
    {
        public int Series { get; private set; }

        public long Points { get; private set; }

        public double Sum { get; private set; }

        public void AddSeries(IEnumerable<JsonElement> values)
        {
            var any = false;
            foreach (var v in values)
            {
                if (v.ValueKind != JsonValueKind.Number)
                    continue;
                any = true;
                Points++;
                Sum += v.GetDouble();
            }
            if (any)
                Series++;
        }
    }
}
