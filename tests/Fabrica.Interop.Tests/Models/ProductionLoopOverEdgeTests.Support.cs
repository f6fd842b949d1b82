using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fabrica.Interop.Tests.Infrastructure;

namespace Fabrica.Interop.Tests.Models;

/// <summary>The model, the edge configuration, and waiting on the API.</summary>
public sealed partial class ProductionLoopOverEdgeTests
{
    private const string Device = "pump-1";
    private const string Asset = "coolant-pump-1";
    private const string RuleId = "pump-motor-overheat";

    /// <summary>Process start-up on a loaded 2-core machine (JIT, EF migrations) can take tens of seconds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Imported with <c>PUT /api/v1/model</c>: a pump type, the ISA-95 tree down to the pump bound to the edge's
    /// device tags, and the per-type rule whose actions are the alarm and the write of half the speed set-point.
    /// </summary>
    private static readonly string ModelDocument = $$"""
        {
          "version": 1,
          "assetTypes": [
            { "id": "coolant-pump", "name": "Coolant pump", "tags": [
                { "name": "temperature", "unit": "°C" }, { "name": "speed", "unit": "%" },
                { "name": "speed_setpoint", "unit": "%" }, { "name": "state" } ] }
          ],
          "assets": [
            { "id": "acme", "level": "enterprise" },
            { "id": "plant-1", "level": "site", "parent": "acme" },
            { "id": "machining", "level": "area", "parent": "plant-1" },
            { "id": "line-1", "level": "line", "parent": "machining" },
            { "id": "{{Asset}}", "name": "Coolant pump 1", "level": "equipment", "parent": "line-1", "type": "coolant-pump",
              "bindings": { "temperature": { "device": "{{Device}}" }, "speed": { "device": "{{Device}}" },
                            "speed_setpoint": { "device": "{{Device}}" }, "state": { "device": "{{Device}}" } } }
          ],
          "rules": [
            { "id": "{{RuleId}}", "assetType": "coolant-pump", "name": "Pump motor overheating",
              "scope": ["temperature", "speed_setpoint"], "priority": 1, "severity": "critical",
              "condition": { "kind": "for", "duration": "{{ForSeconds}}s",
                "condition": { "kind": "threshold", "tag": "temperature", "raiseAbove": {{RaiseAbove}}, "clearBelow": {{ClearBelow}} } },
              "actions": [
                { "kind": "alarm", "message": "Pump motor above {{RaiseAbove}} °C for {{ForSeconds}} s" },
                { "kind": "writeTag", "tag": "speed_setpoint", "value": "speed_setpoint * 0.5" } ] }
          ]
        }
        """;

    /// <summary>The edge polls the pump's registers (docs/simulator.md) every 200 ms, twice per simulator tick.</summary>
    private static string EdgeConfig(string token, int mqttPort, int modbusPort) => $$"""
        {
        {{EdgeConfigJson.UplinkToTestPlatform("line1-edge", token, mqttPort)}}
          "devices": [
            {
              "id": "{{Device}}", "adapter": "modbus", "pollPeriod": "200ms", "readTimeout": "2s",
              "settings": { "host": "127.0.0.1", "port": {{modbusPort}}, "unitId": 1, "requestTimeout": "2s" },
              "tags": [
                { "name": "state", "address": "ir:4", "dataType": "uint16" },
                { "name": "temperature", "address": "ir:12", "dataType": "float32", "unit": "°C" },
                { "name": "speed", "address": "ir:26", "dataType": "float32", "unit": "%" },
                { "name": "speed_setpoint", "address": "hr:1", "dataType": "uint16", "unit": "%" },
                { "name": "inject_overheating", "address": "coil:3", "dataType": "bool" }
              ]
            }
          ]
        }
        """;

    /// <summary>
    /// The first sample of the run above <paramref name="limit"/> that led to the alarm: the sample after the last one
    /// at or below it before <paramref name="before"/>.
    /// </summary>
    private static long FirstOfRunAbove(List<(long Ts, double Value)> samples, double limit, long before)
    {
        var ordered = samples.Where(p => p.Ts <= before).OrderBy(p => p.Ts).ToList();
        var lastBelow = ordered.FindLastIndex(p => p.Value <= limit);
        Assert.True(lastBelow >= 0 && lastBelow + 1 < ordered.Count,
            $"no run above {limit} °C before the alarm at {before}: {string.Join(", ", ordered.TakeLast(40).Select(p => $"{p.Value:0.00}@{p.Ts}"))}");
        return ordered[lastBelow + 1].Ts;
    }

    /// <summary>Sends a command to the pump and waits until the edge answers it (see <see cref="PlatformRest.SendCommandUntilAnsweredAsync"/>).</summary>
    private static Task<JsonElement> SendUntilAnsweredAsync(HttpClient http, string body) => PlatformRest.SendCommandUntilAnsweredAsync(http, Device, body);

    private static async Task<JsonElement> PollAsync(HttpClient http, string url, Func<JsonElement, bool> until, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
            last = JsonDocument.Parse(text).RootElement.Clone();
            if (until(last))
                return last;
            await Task.Delay(100);
        }
        Assert.Fail($"{url} never became what the test waits for in {patience.TotalSeconds} s; last: {(last.ValueKind == JsonValueKind.Undefined ? "-" : last.GetRawText())}");
        return last;
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250));

    private static async Task OkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [GeneratedRegex(@"^fabrica sim ready modbus=(\d+),(\d+),(\d+),(\d+) ")]
    private static partial Regex SimReady();

    [GeneratedRegex(@"^fabrica edge ready id=")]
    private static partial Regex EdgeReady();

}
