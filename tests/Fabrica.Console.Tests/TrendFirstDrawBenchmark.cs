using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Fabrica.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Fabrica.Console.Tests;

/// <summary>
/// Time to first draw of the trend with a week of 1 Hz data for 8 tags in view (issue 8), recorded in
/// docs/benchmarks.md. A measurement, not a test with a time limit: it runs only with FABRICA_CONSOLE_BENCH=1
/// (`FABRICA_CONSOLE_BENCH=1 dotnet test tests/Fabrica.Console.Tests --filter TrendFirstDraw`) and prints the figures.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class TrendFirstDrawBenchmark(ConsoleFixture fixture, ITestOutputHelper output)
{
    private const string Device = "bench-8";
    private const int Tags = 8;
    private const int Seconds = 7 * 86_400;

    [BenchmarkFact]
    public async Task TrendFirstDraw_one_week_of_1_Hz_data_for_8_tags()
    {
        var deviceToken = await SetUpAsync();
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000 - 60_000;
        var start = end - Seconds * 1000L;
        var ingest = System.Diagnostics.Stopwatch.StartNew();
        await WriteWeekAsync(deviceToken, start);
        output.WriteLine($"stored {Seconds * (long)Tags:#,0} samples over HTTP in {ingest.Elapsed.TotalSeconds:0.0} s");

        await using var context = await fixture.NewContextAsync();
        var page = await fixture.SignedInPageAsync(context);
        var head = await MeasureAsync(page, "in the head (not yet flushed)");
        using (var flush = await fixture.Admin.PostAsync("/api/v1/admin/storage/flush", null))
            flush.EnsureSuccessStatusCode();
        using (var compact = await fixture.Admin.PostAsync("/api/v1/admin/storage/compact", null))
            compact.EnsureSuccessStatusCode();
        var blocks = await MeasureAsync(page, "in blocks after flush and compaction");
        output.WriteLine($"first draw, head: {head}; blocks: {blocks}");
    }

    // From the click on "7d" to uPlot having drawn the answer (the chart stamps performance.now() when it draws).
    private async Task<string> MeasureAsync(IPage page, string where)
    {
        var runs = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            await ConsoleFixture.GotoAsync(page, $"/assets/{Device}");
            var trend = page.Locator("[data-testid=trend]");
            await Assertions.Expect(trend).ToHaveAttributeAsync("data-series", Tags.ToString(CultureInfo.InvariantCulture));
            var before = await page.EvaluateAsync<double>("() => performance.now()");
            await page.ClickAsync("[data-testid=range-7d]");
            await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=trend]').dataset.drawnAt) > {before.ToString(CultureInfo.InvariantCulture)} && Number(document.querySelector('[data-testid=trend]').dataset.points) > 900",
                null, new PageWaitForFunctionOptions { Timeout = 120_000 });
            var drawnAt = double.Parse((await trend.GetAttributeAsync("data-drawn-at"))!, CultureInfo.InvariantCulture);
            var points = await trend.GetAttributeAsync("data-points");
            runs.Add(drawnAt - before);
            output.WriteLine($"{where}, run {run + 1}: {drawnAt - before:0} ms, {points} buckets × {Tags} tags");
        }
        runs.Sort();
        return $"median {runs[runs.Count / 2]:0} ms (min {runs[0]:0}, max {runs[^1]:0})";
    }

    private async Task<string> SetUpAsync()
    {
        var tags = string.Join(",", Enumerable.Range(1, Tags).Select(i => $"{{\"name\": \"t{i}\", \"unit\": \"bar\"}}"));
        var bindings = string.Join(",", Enumerable.Range(1, Tags).Select(i => $"\"t{i}\": {{\"device\": \"{Device}\"}}"));
        await SendAsync(HttpMethod.Put, "/api/v1/asset-types/bench-8-tags", $$"""{ "id": "bench-8-tags", "name": "Eight-tag benchmark", "tags": [{{tags}}] }""");
        using var created = await fixture.Admin.PostAsJsonAsync("/api/v1/devices", new { id = Device, name = "benchmark device" });
        created.EnsureSuccessStatusCode();
        var token = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString()!;
        await SendAsync(HttpMethod.Put, $"/api/v1/assets/{Device}", $$"""{ "id": "{{Device}}", "parent": "line-1", "type": "bench-8-tags", "bindings": { {{bindings}} } }""");
        return token;
    }

    private async Task WriteWeekAsync(string token, long start)
    {
        using var http = new HttpClient { BaseAddress = fixture.Demo.HttpUri, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const int rowsPerRequest = 1250; // 10,000 samples: the ingest limit per message
        var body = new StringBuilder();
        for (var first = 0; first < Seconds; first += rowsPerRequest)
        {
            body.Clear().Append('[');
            for (var s = first; s < Math.Min(Seconds, first + rowsPerRequest); s++)
            {
                if (s > first)
                    body.Append(',');
                body.Append("{\"ts\":").Append(start + s * 1000L).Append(",\"values\":{");
                for (var t = 1; t <= Tags; t++)
                {
                    var value = 50 + 10 * t * Math.Sin(s / 3600.0 + t) + (s % 7) * 0.1;
                    body.Append(t > 1 ? "," : "").Append("\"t").Append(t).Append("\":").Append(value.ToString("0.###", CultureInfo.InvariantCulture));
                }
                body.Append("}}");
            }
            body.Append(']');
            using var response = await http.PostAsync($"/api/v1/devices/{Device}/telemetry", new StringContent(body.ToString(), Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task SendAsync(HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await fixture.Admin.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>A measurement that runs only when FABRICA_CONSOLE_BENCH=1; otherwise reported as skipped, with the reason.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FABRICA_CONSOLE_BENCH") != "1")
            Skip = "A benchmark (docs/benchmarks.md): set FABRICA_CONSOLE_BENCH=1 to run it.";
    }
}
