using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fabrica.Interop.Tests.Infrastructure;
using Fabrica.Protocols.Modbus;
using Fabrica.Server.Hosting;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace Fabrica.Interop.Tests.Edge;

/// <summary>
/// Rules pushed from the platform and applied at the edge without a restart (issue 3, scope 4), end to end over real
/// sockets: a platform (HTTP API + MQTT broker) and an edge runtime in this process, a Modbus TCP server as the PLC.
/// The rules go in over REST, reach the edge as the retained config on MQTT, show up as the edge's applied
/// configuration version in <c>GET /api/v1/edges</c>, and close the loop on the PLC: a register over the limit
/// sets a coil, read back over Modbus, and the rule's event reaches the platform. A rule set the edge cannot run is
/// refused with the reason in its status while the old rules keep acting.
/// </summary>
public sealed class EdgeRulesPushTests(ITestOutputHelper output)
{
    private const string EdgeId = "line1-edge";
    private const ushort PressureRegister = 10;
    private const ushort ReliefCoil = 3;

    private static string Rules(string writeTag) => $$"""
        {"rules": [{"id": "relief", "name": "Open the relief valve above 100 bar", "scope": ["pressure"],
          "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
          "actions": [{"kind": "writeTag", "tag": "{{writeTag}}", "value": "true"},
                      {"kind": "writeTag", "tag": "{{writeTag}}", "value": "false", "on": "cleared"},
                      {"kind": "emitEvent", "target": "mqtt", "on": "both"}]}]}
        """;

    [Fact]
    public async Task Rules_put_over_rest_are_applied_by_the_running_edge_which_then_acts_on_the_plc()
    {
        using var dir = new TempDirectory();
        await using var platform = await FabricaServer.StartAsync(new FabricaServerOptions
        {
            DataDirectory = Path.Combine(dir.Path, "data"),
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { HandlePort = 0 },
        });
        using var http = PlatformRest.AdminClient(platform.Endpoints.HttpPort, Path.Combine(dir.Path, "data"));
        var token = await PlatformRest.RegisterEdgeAsync(http, EdgeId, "Line 1");

        await using var plc = InProcessModbusPlc.Start(coils: 100, holdingRegisters: 100);
        var unit = plc.Unit;
        await using var plcClient = plc.Client();
        await plcClient.ConnectAsync();
        async Task<bool> ReliefAsync() => (await plcClient.ReadCoilsAsync(1, ReliefCoil, 1))[0];

        await using var edge = InProcessModbusEdge.Create(EdgeConfig(token, platform.Endpoints.MqttPort, plc.Port), dir.Path);
        await edge.StartAsync();
        try
        {
            await UntilAsync(async () => (await StatusAsync(http)) is { } s && s.GetProperty("link").GetString() == "connected", "the edge reports to the platform");

            using (var put = await http.PutAsync($"/api/v1/edges/{EdgeId}/rules", new StringContent(Rules("relief"), Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                Assert.Equal("1", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetString());
            }
            await UntilAsync(async () => (await StatusAsync(http))?.GetProperty("configVersion").GetString() == "1", "the edge applies version 1");

            unit.Write(ModbusTable.HoldingRegisters, PressureRegister, [(ushort)140]);
            await UntilAsync(ReliefAsync, "the edge opens the relief valve (coil) on the PLC");
            await UntilAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"/api/v1/edges/{EdgeId}/events")).EnumerateArray()
                .Any(e => e.GetProperty("event").GetProperty("ruleId").GetString() == "relief" && e.GetProperty("event").GetProperty("kind").GetString() == "activated"),
                "the rule's event reaches the platform");

            // Version 2 writes a tag the edge does not have: the platform cannot know, the edge refuses it.
            using (var put = await http.PutAsync($"/api/v1/edges/{EdgeId}/rules", new StringContent(Rules("valve"), Encoding.UTF8, "application/json")))
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            await UntilAsync(async () => (await StatusAsync(http))?.GetProperty("lastError").GetString()?.Contains("configuration version 2 refused", StringComparison.Ordinal) == true,
                "the edge reports why it refused version 2");
            var status = (await StatusAsync(http))!.Value;
            Assert.Equal("1", status.GetProperty("configVersion").GetString());
            Assert.Contains("rule 'relief'", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);

            unit.Write(ModbusTable.HoldingRegisters, PressureRegister, [(ushort)30]);
            await UntilAsync(async () => !await ReliefAsync(), "version 1 still runs and closes the valve");
        }
        catch
        {
            output.WriteLine("edge status: " + (await StatusAsync(http))?.GetRawText());
            throw;
        }
    }

    [Fact]
    public async Task Stored_rules_are_published_again_when_the_platform_restarts()
    {
        using var dir = new TempDirectory();
        var options = new FabricaServerOptions
        {
            DataDirectory = Path.Combine(dir.Path, "data"),
            HttpPort = 0,
            MqttPort = 0,
            BindAddress = IPAddress.Loopback,
            Identifiers = new IdentifierNodeSettings { HandlePort = 0 },
        };
        string token;
        await using (var first = await FabricaServer.StartAsync(options))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first.Endpoints.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(options.DataDirectory, "admin.token")).Trim());
            using var registered = await http.PostAsJsonAsync("/api/v1/edges", new { id = EdgeId, name = "Line 1" });
            token = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
            using var put = await http.PutAsync($"/api/v1/edges/{EdgeId}/rules", new StringContent(Rules("relief"), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // The broker keeps retained messages in memory only: the platform publishes the stored configuration again.
        await using var second = await FabricaServer.StartAsync(options);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", second.Endpoints.MqttPort)
            .WithClientId(EdgeId).WithCredentials(EdgeId, token).Build());
        var received = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.Clone());
            return Task.CompletedTask;
        };
        await client.SubscribeAsync($"fabrica/edges/{EdgeId}/config", MqttQualityOfServiceLevel.AtLeastOnce);
        var config = await received.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("1", config.GetProperty("version").GetString());
        Assert.Equal("relief", config.GetProperty("rules")[0].GetProperty("id").GetString());
    }

    private static async Task<JsonElement?> StatusAsync(HttpClient http)
    {
        var edges = await http.GetFromJsonAsync<JsonElement>("/api/v1/edges");
        var edge = edges.EnumerateArray().Single(e => e.GetProperty("id").GetString() == EdgeId);
        return edge.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object ? status : null;
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));

    private static string EdgeConfig(string token, int mqttPort, int plcPort) => $$"""
        {
          "id": "{{EdgeId}}", "token": "{{token}}",
          "platform": {"host": "127.0.0.1", "port": {{mqttPort}}},
          "uplink": {"statusInterval": "1s"},
          "buffer": {"directory": "edge-buffer"},
          "devices": [{
            "id": "press-1", "adapter": "modbus", "pollPeriod": "50ms", "readTimeout": "10s",
            "settings": {"host": "127.0.0.1", "port": {{plcPort}}, "unitId": 1, "requestTimeout": "10s"},
            "tags": [
              {"name": "pressure", "address": "hr:{{PressureRegister}}", "dataType": "uint16"},
              {"name": "relief", "address": "coil:{{ReliefCoil}}", "dataType": "bool"}
            ]
          }]
        }
        """;
}
