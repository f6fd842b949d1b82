using System.Net;
using System.Text.Json;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Edge.Tests.Infrastructure;
using Fabrica.Edge.Uplink;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Edge.Tests.Uplink;

/// <summary>
/// The edge's Sparkplug B uplink (issue 3, scope 2) against a host application nobody here wrote: npm mqtt +
/// sparkplug-payload (tests/peers/sparkplug/host.js) on a real Debian mosquitto, a Modbus TCP server as the PLC.
/// The host decodes our NBIRTH (bdSeq), DBIRTH (aliases, datatypes) and DDATA with seq counting on from the births;
/// its NCMD Rebirth brings new births (same bdSeq, seq from 0); its DCMD reaches a holding register; after a broker
/// outage the buffered readings arrive as is_historical metrics at their original timestamps, under a new bdSeq.
/// </summary>
public sealed class SparkplugUplinkInteropTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Group = "plant1";
    private const string EdgeId = "line1-edge";
    private const string Device = "press-1";

    [Fact]
    public async Task Npm_host_decodes_births_and_data_in_seq_order_and_its_rebirth_and_dcmd_reach_the_edge_and_plc()
    {
        Assert.True(MosquittoBroker.Installed, "mosquitto is installed by scripts/install-test-peers.sh (tests/peers/sparkplug/apt.txt)");
        using var dir = new TempDirectory();
        // mosquitto drops root for its own user: its persistence (the npm host's session across the restart) needs a
        // directory that user can write.
        var brokerDirectory = Directory.CreateDirectory(Path.Combine(dir.Path, "broker")).FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(brokerDirectory, (UnixFileMode)0x1FF);
        using var broker = new MosquittoBroker(brokerDirectory);
        await broker.StartAsync();
        var unit = new ModbusMemoryUnit(coils: 10, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 10);
        await using var plc = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, unit), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        plc.Start();
        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)5]);
        using var host = await SparkplugHostPeer.StartAsync(broker.Port, Group);

        using var logs = new ListLoggerProvider();
        await using var edge = new EdgeRuntime(EdgeConfigLoader.Parse(Config(broker.Port, plc.LocalEndPoint.Port), "test", dir.Path),
            new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()], LoggerFactory = logs });
        await edge.StartAsync();
        try
        {
            await RunAsync(edge, host, broker, unit);
        }
        catch
        {
            foreach (var line in logs.Lines.Where(l => !l.Contains("Publishing record", StringComparison.Ordinal)).TakeLast(60))
                output.WriteLine(line);
            throw;
        }
    }

    private static async Task RunAsync(EdgeRuntime edge, SparkplugHostPeer host, MosquittoBroker broker, ModbusMemoryUnit unit)
    {

        var nbirth = await host.WaitForAsync(IsMessage("NBIRTH"), "NBIRTH");
        Assert.Equal(0, nbirth.GetProperty("seq").GetInt32());
        var bdSeq = nbirth.GetProperty("bdSeq").GetString();
        Assert.Contains(nbirth.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("name").GetString() == "Node Control/Rebirth");
        var dbirth = await host.WaitForAsync(IsMessage("DBIRTH"), "DBIRTH");
        Assert.Equal(Device, dbirth.GetProperty("device").GetString());
        var declared = dbirth.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m);
        Assert.Equal("Int64", declared["count"].GetProperty("type").GetString());
        Assert.Equal("Int64", declared["setpoint"].GetProperty("type").GetString());
        Assert.Equal("Boolean", declared["running"].GetProperty("type").GetString());
        Assert.Equal(3, declared.Values.Select(m => m.GetProperty("alias").GetString()).Distinct().Count());
        var countAlias = declared["count"].GetProperty("alias").GetString();

        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)42]);
        await host.WaitForAsync(m => IsMessage("DDATA")(m) && HasValue(m, countAlias, "42"), "DDATA with count = 42 (by alias)");
        AssertSeqRunsOn(host.Messages);

        // NCMD from the npm host: new births with the same bdSeq and seq from 0, data continues after them.
        var before = host.Count;
        host.Send($"rebirth {EdgeId}");
        var reborn = await host.WaitForAsync(IsMessage("NBIRTH"), "NBIRTH after the rebirth request", before);
        Assert.Equal(0, reborn.GetProperty("seq").GetInt32());
        Assert.Equal(bdSeq, reborn.GetProperty("bdSeq").GetString());
        await host.WaitForAsync(IsMessage("DBIRTH"), "DBIRTH after the rebirth request", before);
        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)43]);
        await host.WaitForAsync(m => IsMessage("DDATA")(m) && HasValue(m, countAlias, "43"), "DDATA after the rebirth", before);
        AssertSeqRunsOn(host.Messages);

        // DCMD from the npm host (by name, as sparkplug-payload encodes it) → the device adapter → holding register 1.
        host.Send($"dcmd {EdgeId} {Device} setpoint Int64 1234");
        await Eventually.TrueAsync(() => Register(unit, 1) == 1234, "the DCMD write reaches the PLC's register", TimeSpan.FromSeconds(60));

        // Broker outage: readings go to the buffer, then up as is_historical metrics at their original timestamps.
        broker.Stop();
        await Eventually.TrueAsync(() => edge.Link != LinkState.Connected, "the edge notices the outage", TimeSpan.FromSeconds(60));
        var outageStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        unit.Write(ModbusTable.HoldingRegisters, 0, [(ushort)77]);
        await Eventually.TrueAsync(() => edge.GetStatus().Buffer.PendingRecords > 0, "readings wait in the buffer", TimeSpan.FromSeconds(60));
        before = host.Count;
        await broker.StartAsync();
        var newBirth = await host.WaitForAsync(IsMessage("NBIRTH"), "NBIRTH of the new session", before);
        Assert.NotEqual(bdSeq, newBirth.GetProperty("bdSeq").GetString());
        // Live readings of the new session may overtake the backlog; the backlog's are the ones marked historical.
        static bool Historical77(JsonElement m, string? alias) => m.GetProperty("metrics").EnumerateArray()
            .Any(x => x.GetProperty("alias").GetString() == alias && x.GetProperty("value").GetString() == "77" && x.GetProperty("historical").GetBoolean());
        var backfill = await host.WaitForAsync(m => IsMessage("DDATA")(m) && Historical77(m, countAlias), "the buffered reading 77 as an is_historical metric", before);
        var metric = backfill.GetProperty("metrics").EnumerateArray().First(x => x.GetProperty("alias").GetString() == countAlias && x.GetProperty("value").GetString() == "77");
        var timestamp = long.Parse(metric.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // Read during the outage: after 77 was written, before the new session's NBIRTH.
        var reborn2 = long.Parse(newBirth.GetProperty("metrics")[0].GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, outageStart, reborn2);
        AssertSeqRunsOn(host.Messages);
        // Connection errors of the outage are expected; nothing of ours may fail to decode there.
        Assert.DoesNotContain(host.Errors, e => e.GetProperty("message").GetString()!.StartsWith("decode", StringComparison.Ordinal));
    }

    private static ushort Register(ModbusMemoryUnit unit, ushort address)
    {
        Span<ushort> value = stackalloc ushort[1];
        unit.ReadRegisters(ModbusTable.HoldingRegisters, address, value);
        return value[0];
    }

    private static Func<JsonElement, bool> IsMessage(string type) =>
        m => m.GetProperty("event").GetString() == "message" && m.GetProperty("type").GetString() == type && m.GetProperty("node").GetString() == EdgeId;

    private static bool HasValue(JsonElement message, string? alias, string value) =>
        message.GetProperty("metrics").EnumerateArray().Any(m => m.GetProperty("alias").GetString() == alias && m.GetProperty("value").ValueKind == JsonValueKind.String && m.GetProperty("value").GetString() == value);

    /// <summary>§5.9: every message of a session after NBIRTH (seq 0) has the next seq, modulo 256.</summary>
    private static void AssertSeqRunsOn(List<JsonElement> messages)
    {
        int? expected = null;
        foreach (var m in messages.Where(m => m.GetProperty("node").GetString() == EdgeId))
        {
            var type = m.GetProperty("type").GetString();
            if (type == "NDEATH")
            {
                expected = null;
                continue;
            }
            var seq = m.GetProperty("seq").GetInt32();
            if (type == "NBIRTH")
                Assert.Equal(0, seq);
            else if (expected is { } e)
                Assert.True(e == seq, $"{type} has seq {seq}, expected {e}");
            expected = (seq + 1) & 0xFF;
        }
    }

    private static string Config(int brokerPort, int plcPort) => $$"""
        {
          "id": "{{EdgeId}}", "token": "unused-by-mosquitto",
          "platform": {"host": "127.0.0.1", "port": {{brokerPort}}},
          "uplink": {"format": "sparkplug", "sparkplugGroupId": "{{Group}}", "statusInterval": "1s", "reconnectMin": "200ms", "reconnectMax": "1s"},
          "buffer": {"directory": "edge-buffer", "commitInterval": "20ms"},
          "devices": [{
            "id": "{{Device}}", "adapter": "modbus", "pollPeriod": "50ms", "readTimeout": "10s",
            "settings": {"host": "127.0.0.1", "port": {{plcPort}}, "unitId": 1, "requestTimeout": "10s"},
            "tags": [
              {"name": "count", "address": "hr:0", "dataType": "uint16"},
              {"name": "setpoint", "address": "hr:1", "dataType": "uint16"},
              {"name": "running", "address": "coil:0", "dataType": "bool"}
            ]
          }]
        }
        """;
}
