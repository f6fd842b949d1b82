using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Protocols.Modbus;
using Xunit.Abstractions;

namespace Fabrica.Interop.Tests.Sparkplug;

/// <summary>
/// Platform commands to a device born over Sparkplug B (issue 7, scope 5, "over Sparkplug NCMD/DCMD"), over real
/// sockets: a REST write to the edge's Modbus device leaves the platform (a real <c>fabrica serve</c> process) as a
/// DCMD, our edge in Sparkplug uplink mode writes the PLC's register (read back by a Modbus client), its next DDATA
/// reports the value and the command ends succeeded; a tag the birth did not declare fails at once with the reason.
/// </summary>
public sealed class SparkplugCommandTests(ITestOutputHelper output)
{
    private const string EdgeId = "cmd-edge";
    private const string Device = "plant1.cmd-edge.press-1";

    [Fact]
    public async Task A_platform_write_reaches_the_plc_as_a_dcmd_and_succeeds_when_ddata_reports_it()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        using var platform = await ServerProcess.StartAsync(data);
        using var http = PlatformRest.AdminClient(platform.HttpPort, data);
        var token = await PlatformRest.RegisterEdgeAsync(http, EdgeId, "Line 1");

        await using var plc = InProcessModbusPlc.Start(coils: 10, holdingRegisters: 10);
        plc.Unit.Write(ModbusTable.HoldingRegisters, 1, [(ushort)1200]);
        await using var edge = InProcessModbusEdge.Create(Config(token, platform.MqttPort, plc.Port), dir.Path);
        await edge.StartAsync();
        try
        {
            await UntilAsync(async () => await LatestAsync(http, "speed_setpoint") == 1200, "the DBIRTH and DDATA reach the platform");

            var command = await SendAsync(http, new { name = "write", args = new { tag = "speed_setpoint", value = 900 }, timeout = "60s" });
            var final = await FinalAsync(http, command);
            await using var plcClient = plc.Client();
            var register = await plcClient.ReadHoldingRegistersAsync(1, 1, 1);

            Assert.Equal("succeeded", final.GetProperty("status").GetString());
            Assert.True(final.TryGetProperty("deliveredAt", out _), final.ToString());
            Assert.Equal(900, final.GetProperty("result").GetProperty("reported").GetDouble());
            Assert.Equal((ushort)900, register[0]);

            // A tag the DBIRTH did not declare: failed at once, with the reason; nothing reaches the PLC.
            var unknown = await FinalAsync(http, await SendAsync(http, new { name = "writeTag", args = new { tag = "no_such_tag", value = 1 } }));
            Assert.Equal("failed", unknown.GetProperty("status").GetString());
            Assert.Contains("no_such_tag", unknown.GetProperty("error").GetString(), StringComparison.Ordinal);
            // Sparkplug carries only writes.
            var other = await FinalAsync(http, await SendAsync(http, new { name = "reboot", args = new { } }));
            Assert.Equal("failed", other.GetProperty("status").GetString());
            Assert.Equal((ushort)900, (await plcClient.ReadHoldingRegistersAsync(1, 1, 1))[0]);
        }
        catch
        {
            output.WriteLine("edge status: " + System.Text.Encoding.UTF8.GetString(edge.GetStatus().ToJson()));
            output.WriteLine("platform: " + platform.Output);
            throw;
        }
        finally
        {
            await edge.StopAsync();
        }
    }

    private static async Task<string> SendAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/devices/{Device}/commands", body);
        // 202 while the command is under way; 200 when it is already final (a write refused before sending).
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The command once final (GET <c>/api/v1/commands/{id}</c> until it is).</summary>
    private static async Task<JsonElement> FinalAsync(HttpClient http, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var command = await http.GetFromJsonAsync<JsonElement>($"/api/v1/commands/{id}");
            if (command.GetProperty("status").GetString() is not ("pending" or "delivered"))
                return command;
            Assert.True(DateTime.UtcNow < deadline, "the command did not end: " + command);
            await Task.Delay(50);
        }
    }

    private static Task<long?> LatestAsync(HttpClient http, string tag) => PlatformRest.LatestValueAsync(http, Device, tag);

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(50));

    private static string Config(string token, int mqttPort, int plcPort) => EdgeConfigJson.SparkplugEdgeOverModbus(EdgeId, token, mqttPort, plcPort, """
        {"name": "count", "address": "hr:0", "dataType": "uint16"},
        {"name": "speed_setpoint", "address": "hr:1", "dataType": "uint16"}
        """);
}
