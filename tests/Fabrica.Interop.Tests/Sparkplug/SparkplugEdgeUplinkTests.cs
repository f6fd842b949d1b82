using System.Net.Http.Json;
using System.Text.Json;
using Fabrica.Edge.Uplink;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Protocols.Modbus;
using Xunit.Abstractions;

namespace Fabrica.Interop.Tests.Sparkplug;

/// <summary>
/// Our edge as a Sparkplug B edge node uplinking to our platform as host application (issue 3, scopes 2 and 3), over
/// real sockets: the edge's DBIRTH makes the platform register the device as the edge's (the ownership check of JSON
/// telemetry), its DDATA is stored and read back over REST under <c>{group}.{edge}.{device}</c>; while the platform
/// is down the readings are buffered and, after it restarts, arrive as is_historical metrics that are stored at their
/// original timestamps through the backfill path (transport <c>mqtt_backfill</c>, no real-time rules).
/// </summary>
public sealed class SparkplugEdgeUplinkTests(ITestOutputHelper output)
{
    private const string EdgeId = "line1-edge";
    private const string Device = "plant1.line1-edge.press-1";

    [Fact]
    public async Task Sparkplug_uplink_is_stored_and_its_outage_backlog_is_stored_at_the_original_timestamps()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        var platform = await ServerProcess.StartAsync(data);
        var (httpPort, mqttPort) = (platform.HttpPort, platform.MqttPort);
        using var http = PlatformRest.AdminClient(httpPort, data);
        var token = await PlatformRest.RegisterEdgeAsync(http, EdgeId, "Line 1");

        await using var plc = InProcessModbusPlc.Start(coils: 10, holdingRegisters: 10);
        var unit = plc.Unit;
        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)5]);
        await using var edge = InProcessModbusEdge.Create(Config(token, mqttPort, plc.Port), dir.Path);
        await edge.StartAsync();
        try
        {
            await UntilAsync(async () => await LatestAsync(http, "count") == 5, "the DDATA reaches storage");
            var owned = await http.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{EdgeId}");
            Assert.Contains(Device, owned.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));

            // Outage: the platform stops; readings wait in the edge's buffer.
            Assert.Equal(0, platform.Terminate(TimeSpan.FromSeconds(30)));
            platform.Dispose();
            await UntilAsync(() => Task.FromResult(edge.Link != LinkState.Connected), "the edge notices the outage");
            var outageStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)77]);
            var pending = edge.GetStatus().Buffer.PendingRecords;
            await UntilAsync(() => Task.FromResult(edge.GetStatus().Buffer.PendingRecords > pending + 5), "readings of 77 wait in the buffer");
            var restart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            platform = await ServerProcess.StartAsync(data, httpPort: httpPort, mqttPort: mqttPort);

            await UntilAsync(async () => (await RawAsync(http, outageStart, restart)).Any(p => p.Value == 77), "the backlog is stored at its original timestamps");
            var backlog = await RawAsync(http, outageStart, restart);
            Assert.All(backlog, p => Assert.InRange(p.Ts, outageStart, restart));
            Assert.Equal(backlog.OrderBy(p => p.Ts).Select(p => p.Ts), backlog.Select(p => p.Ts));
            unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)88]);
            await UntilAsync(async () => await LatestAsync(http, "count") == 88, "live data flows again");

            // The is_historical metrics went through the backfill door (stored, not evaluated in real time).
            var metrics = await http.GetStringAsync("/metrics");
            var backfillMessages = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("fabrica_ingest_messages", StringComparison.Ordinal) && l.Contains("transport=\"mqtt_backfill\"", StringComparison.Ordinal));
            Assert.True(backfillMessages is not null && double.Parse(backfillMessages.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0,
                "historical Sparkplug metrics are ingested as backfill: " + backfillMessages);
        }
        catch
        {
            output.WriteLine("edge status: " + System.Text.Encoding.UTF8.GetString(edge.GetStatus().ToJson()));
            output.WriteLine("count samples: " + string.Join(", ", (await RawAsync(http, 0, long.MaxValue / 2)).TakeLast(200).Select(p => $"{p.Ts}={p.Value}")));
            output.WriteLine("platform: " + platform.Output);
            throw;
        }
        finally
        {
            await edge.StopAsync();
            platform.Dispose();
        }
    }

    private static Task<long?> LatestAsync(HttpClient http, string tag) => PlatformRest.LatestValueAsync(http, Device, tag);

    private static async Task<List<(long Ts, double Value)>> RawAsync(HttpClient http, long from, long to)
    {
        using var response = await http.GetAsync($"/api/v1/devices/{Device}/telemetry?keys=count&from={from}&to={to}&limit=100000");
        if (!response.IsSuccessStatusCode)
            return [];
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.TryGetProperty("count", out var points)
            ? points.EnumerateArray().Select(p => (p.GetProperty("ts").GetInt64(), p.GetProperty("value").GetDouble())).ToList()
            : [];
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(50));

    private static string Config(string token, int mqttPort, int plcPort) => EdgeConfigJson.SparkplugEdgeOverModbus(EdgeId, token, mqttPort, plcPort, """
        {"name": "count", "address": "hr:0", "dataType": "uint16"},
        {"name": "running", "address": "coil:0", "dataType": "bool"}
        """);
}
