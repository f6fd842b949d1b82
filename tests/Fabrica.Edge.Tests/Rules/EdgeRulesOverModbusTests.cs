using System.Net;
using System.Text.Json;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Edge.Tests.Infrastructure;
using Fabrica.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Edge.Tests.Rules;

/// <summary>
/// The equipment loop closed at the edge over real Modbus TCP on loopback: the edge runtime polls a Modbus server
/// (Fabrica.Protocols' server with an in-memory register map, as a PLC), a register crossing a threshold makes a rule
/// write a coil through the Modbus adapter, and the test reads the coil back with a Modbus client of its own.
/// </summary>
public sealed class EdgeRulesOverModbusTests
{
    private const ushort PressureRegister = 10;
    private const ushort ReliefCoil = 3;

    private static string ReliefRules(string writeTag = "relief") => $$"""
        [{"id": "relief", "name": "Open the relief valve above 100 bar", "scope": ["pressure"],
          "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
          "actions": [{"kind": "writeTag", "tag": "{{writeTag}}", "value": "true"},
                      {"kind": "writeTag", "tag": "{{writeTag}}", "value": "false", "on": "cleared"},
                      {"kind": "emitEvent", "target": "mqtt", "on": "both"}]}]
        """;

    [Fact]
    public async Task A_register_above_the_threshold_makes_the_edge_write_the_coil_and_below_the_deadband_reset_it()
    {
        await using var plc = await Plc.StartAsync();
        using var buffer = new TempDirectory();
        await using var edge = new EdgeRuntime(Config(plc.Port, buffer.Path, ReliefRules()), new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] });
        await edge.StartAsync();

        plc.SetPressure(130);
        await UntilAsync(async () => await plc.ReadCoilAsync(), "the edge sets the relief coil");
        Assert.Equal("relief", Assert.Single(((Fabrica.Edge.Rules.EdgeRuleEngine)edge.Rules).ActiveRules()).RuleId);

        plc.SetPressure(60);
        await UntilAsync(async () => !await plc.ReadCoilAsync(), "the edge resets the relief coil");
    }

    [Fact]
    public async Task A_pushed_rule_set_is_applied_without_a_restart_and_a_bad_one_is_refused_with_the_old_rules_running()
    {
        await using var plc = await Plc.StartAsync();
        using var buffer = new TempDirectory();
        await using var edge = new EdgeRuntime(Config(plc.Port, buffer.Path, "[]"), new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] });
        await edge.StartAsync();
        Assert.Null(edge.GetStatus().ConfigVersion);

        Assert.Null(edge.ApplyPushedConfig(Json($$"""{"version": "4", "rules": {{ReliefRules()}} }""")));
        Assert.Equal("4", edge.GetStatus().ConfigVersion);
        plc.SetPressure(150);
        await UntilAsync(async () => await plc.ReadCoilAsync(), "the pushed rule sets the coil");

        var refused = edge.ApplyPushedConfig(Json($$"""{"version": "5", "rules": {{ReliefRules("valve")}} }"""));
        Assert.NotNull(refused);
        var status = edge.GetStatus();
        Assert.Equal("4", status.ConfigVersion);
        Assert.Contains("configuration version 5 refused", status.LastError, StringComparison.Ordinal);
        Assert.Contains("rule 'relief'", status.LastError, StringComparison.Ordinal);
        Assert.Contains("'valve'", status.LastError, StringComparison.Ordinal);

        plc.SetPressure(20); // version 4 still runs
        await UntilAsync(async () => !await plc.ReadCoilAsync(), "the old rules reset the coil");
    }

    [Fact]
    public async Task A_restart_while_the_platform_is_away_keeps_the_pushed_rules()
    {
        await using var plc = await Plc.StartAsync();
        using var buffer = new TempDirectory();
        var services = new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] };
        await using (var first = new EdgeRuntime(Config(plc.Port, buffer.Path, "[]"), services))
        {
            await first.StartAsync();
            Assert.Null(first.ApplyPushedConfig(Json($$"""{"version": "9", "rules": {{ReliefRules()}} }""")));
        }

        // The platform (port 1) is unreachable: the rules come from what the edge kept, not from the retained topic.
        await using var second = new EdgeRuntime(Config(plc.Port, buffer.Path, "[]"), services);
        await second.StartAsync();
        Assert.Equal("9", second.GetStatus().ConfigVersion);
        plc.SetPressure(111);
        await UntilAsync(async () => await plc.ReadCoilAsync(), "the kept rules set the coil after the restart");
    }

    /// <summary>Polls the PLC until <paramref name="condition"/> holds (no fixed sleeps; generous timeout for a loaded machine).</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static EdgeOptions Config(int port, string buffer, string rules) => EdgeConfigLoader.Parse($$"""
        {
          "id": "line1-edge", "token": "fbg_unused",
          "platform": {"host": "127.0.0.1", "port": 1},
          "buffer": {"directory": "{{buffer.Replace("\\", "\\\\", StringComparison.Ordinal)}}"},
          "devices": [{
            "id": "press-1", "adapter": "modbus", "pollPeriod": "20ms", "readTimeout": "10s",
            "settings": {"host": "127.0.0.1", "port": {{port}}, "unitId": 1, "requestTimeout": "10s"},
            "tags": [
              {"name": "pressure", "address": "hr:{{PressureRegister}}", "dataType": "uint16"},
              {"name": "relief", "address": "coil:{{ReliefCoil}}", "dataType": "bool"}
            ]
          }],
          "rules": {{rules}}
        }
        """, "test", buffer);

    /// <summary>A PLC: our Modbus TCP server over an in-memory unit, and a client of the test's own to look at it.</summary>
    private sealed class Plc : IAsyncDisposable
    {
        private readonly ModbusMemoryUnit _unit = new(coils: 100, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 100);
        private ModbusTcpServer _server = null!;
        private ModbusTcpClient _client = null!;

        public int Port => _server.LocalEndPoint.Port;

        public static async Task<Plc> StartAsync()
        {
            var plc = new Plc();
            plc._server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, plc._unit), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
            plc._server.Start();
            plc._client = new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = plc.Port, RequestTimeout = TimeSpan.FromSeconds(10) }, NullLogger<ModbusTcpClient>.Instance);
            await plc._client.ConnectAsync();
            return plc;
        }

        public void SetPressure(ushort bar) => _unit.Write(ModbusTable.HoldingRegisters, PressureRegister, [bar]);

        public async Task<bool> ReadCoilAsync() => (await _client.ReadCoilsAsync(1, ReliefCoil, 1))[0];

        public async ValueTask DisposeAsync()
        {
            await _client.DisposeAsync();
            await _server.DisposeAsync();
        }
    }
}
