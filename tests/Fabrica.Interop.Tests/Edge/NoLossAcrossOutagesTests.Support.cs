using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fabrica.Simulator.Runtime;

namespace Fabrica.Interop.Tests.Edge;

/// <summary>Processes, API calls, the edge configuration and the description of what the platform holds.</summary>
public sealed partial class NoLossAcrossOutagesTests
{
    private sealed record Verdict(IReadOnlyList<string> Failures, string Report);

    /// <summary>Counter values absent between two consecutive samples (by time).</summary>
    private readonly record struct MissingRange(long From, long To, (long Ts, long Value) Before, (long Ts, long Value) After);

    private static List<MissingRange> MissingValues(List<(long Ts, long Value)> ticks) =>
        [.. Enumerable.Range(1, Math.Max(0, ticks.Count - 1))
            .Where(i => ticks[i].Value > ticks[i - 1].Value + 1)
            .Select(i => new MissingRange(ticks[i - 1].Value + 1, ticks[i].Value - 1, ticks[i - 1], ticks[i]))];

    private static string Describe(List<(long Ts, long Value)> ticks) => ticks.Count == 0 ? "no samples" :
        $"{ticks.Count} samples from {ticks[0].Value} at {ticks[0].Ts} to {ticks[^1].Value} at {ticks[^1].Ts}; missing values: "
        + (MissingValues(ticks) is { Count: > 0 } missing
            ? string.Join(", ", missing.Select(r => $"{r.From}–{r.To} ({r.Before.Value}@{r.Before.Ts} → {r.After.Value}@{r.After.Ts})"))
            : "none");

    private static string Where(long ts, Moments at) =>
        ts < at.OutageStart ? "before the outage"
        : ts < at.KilledAt ? $"in the outage, {at.KilledAt - ts} ms before the SIGKILL"
        : ts < at.OutageEnd ? $"in the outage, {ts - at.KilledAt} ms after the SIGKILL"
        : $"{ts - at.OutageEnd} ms after the platform was back";

    /// <summary>Writes each process's output to a file (on a failure, or always with FABRICA_TRACE_DIR set) and names it.</summary>
    private void SaveLogs(List<(string Name, FabricaProcess Process)> processes)
    {
        var folder = Environment.GetEnvironmentVariable("FABRICA_TRACE_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "fabrica-noloss-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        foreach (var (name, process) in processes)
        {
            var path = Path.Combine(folder, name + ".log");
            File.WriteAllText(path, process.Output);
            output.WriteLine($"{name} output: {path}");
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>One plant step, then at least a tick before the next: a late step delays the schedule, never shortens a value's life.</summary>
    private static async Task StepEveryTickAsync(PlantSimulator simulator, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Tick, cancellationToken);
                simulator.Plant.Step();
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }

    private static Task<FabricaProcess> StartPlatformAsync(string data, string httpPort, string mqttPort) =>
        FabricaProcess.StartAsync(PlatformReady(), StartTimeout, TraceOn,
            "serve", "--data", data, "--http-port", httpPort, "--mqtt-port", mqttPort, "--handle-port", "0", "--bind", "127.0.0.1");

    private static Task<FabricaProcess> StartEdgeAsync(string config) =>
        FabricaProcess.StartAsync(EdgeReady(), StartTimeout, TraceOn, "edge", "--config", config);

    /// <summary>The processes always trace delivery: the test reads the edges' trace to tell a loss from a stall.</summary>
    private static readonly Dictionary<string, string> TraceOn = new() { ["FABRICA_DELIVERY_TRACE"] = "1" };

    private static async Task<string> RegisterEdgeAsync(HttpClient http, string id)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/edges", new { id, name = id });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/edges: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<List<(long Ts, long Value)>> ReadTicksAsync(HttpClient http, long from)
    {
        using var response = await http.GetAsync($"/api/v1/devices/pump-1/telemetry?keys=tick_count&from={from}&to={Now() + 60_000}&limit=100000");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET telemetry: {(int)response.StatusCode} {text}");
        var json = JsonDocument.Parse(text).RootElement;
        return json.TryGetProperty("tick_count", out var points)
            ? [.. points.EnumerateArray().Select(p => (p.GetProperty("ts").GetInt64(), (long)p.GetProperty("value").GetDouble())).OrderBy(p => p.Item1)]
            : [];
    }

    /// <summary>
    /// Waits until the platform's data passes <paramref name="complete"/>, or the edge reports (on its status topic,
    /// shown by <c>GET /api/v1/edges/{id}</c>) a buffer holding no more than the live records in flight in a report
    /// made at least 2 s after the platform came back; or 4 minutes pass. Returns how the wait ended, with the edge's
    /// last status, for the failure message.
    /// </summary>
    private static async Task<string> WaitForDrainAsync(HttpClient http, long from, long platformBack, Func<List<(long Ts, long Value)>, bool> complete)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        var status = "(none)";
        while (DateTime.UtcNow < deadline)
        {
            var ticks = await ReadTicksAsync(http, from);
            if (ticks.Count > 0 && ticks[^1].Ts > platformBack + 2_000 && complete(ticks))
                return "the platform's data is complete; edge status " + status;
            using var response = await http.GetAsync("/api/v1/edges/line1-edge");
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.TryGetProperty("status", out var report) && report.ValueKind == JsonValueKind.Object)
            {
                status = report.GetRawText();
                if (report.GetProperty("ts").GetInt64() > platformBack + 2_000 && report.GetProperty("buffer").GetProperty("records").GetInt64() <= 4)
                    return "the edge reports its buffer drained: " + status;
            }
            await Task.Delay(500);
        }
        return "timed out after 4 minutes; the edge's last status: " + status;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }

    private static string EdgeConfig(string id, string token, int mqttPort, int modbusPort) => $$"""
        {
          "id": "{{id}}",
          "token": "{{token}}",
          "platform": { "host": "127.0.0.1", "port": {{mqttPort}} },
          "uplink": { "drainRate": 0, "reconnectMin": "200ms", "reconnectMax": "1s", "ackTimeout": "10s", "statusInterval": "2s" },
          "buffer": { "directory": "edge-buffer", "commitInterval": "{{(int)CommitInterval.TotalMilliseconds}}ms" },
          "devices": [
            {
              "id": "pump-1", "adapter": "modbus", "pollPeriod": "{{(int)Poll.TotalMilliseconds}}ms", "readTimeout": "2s",
              "settings": { "host": "127.0.0.1", "port": {{modbusPort}}, "unitId": 1, "requestTimeout": "2s" },
              "tags": [ { "name": "tick_count", "address": "ir:0", "dataType": "uint32" } ]
            }
          ]
        }
        """;

    [GeneratedRegex(@"^fabrica ready http=(\d+) mqtt=(\d+)")]
    private static partial Regex PlatformReady();

    [GeneratedRegex(@"^fabrica edge ready id=")]
    private static partial Regex EdgeReady();
}
