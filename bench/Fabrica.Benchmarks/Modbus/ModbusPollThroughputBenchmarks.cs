using System.Net;
using BenchmarkDotNet.Attributes;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Benchmarks.Modbus;

/// <summary>
/// One client process polling 50 of our servers (one TCP connection each) on loopback, as an edge gateway polls
/// 50 devices. Scattered: 10 one-register reads per device that no planner can merge (requests/s = 500 / time).
/// Coalesced: 250 adjacent UInt16 tags per device, planned into 2 reads of 125 (registers/s = 12 500 / time).
/// Both sides share the machine's cores: the figure is a floor for the client alone.
/// </summary>
[MemoryDiagnoser]
public class ModbusPollThroughputBenchmarks
{
    private const int Devices = 50;
    private readonly List<ModbusTcpServer> _servers = [];
    private readonly List<ModbusTcpClient> _clients = [];
    private ModbusReadPlan[] _scattered = [];
    private ModbusReadPlan[] _coalesced = [];
    private ModbusTagReading[][] _results = [];

    [GlobalSetup]
    public void Setup()
    {
        var model = new ModbusMemoryDataModel().Add(1, new ModbusMemoryUnit());
        for (var i = 0; i < Devices; i++)
        {
            var server = new ModbusTcpServer(model, new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
            server.Start();
            _servers.Add(server);
            _clients.Add(new ModbusTcpClient(new ModbusClientOptions { Host = "127.0.0.1", Port = server.LocalEndPoint.Port, MaxOutstandingRequests = 16 }));
        }

        // Scattered: addresses 500 apart, each read alone.
        _scattered = _clients.Select((_, d) => ModbusReadPlanner.Plan(Enumerable.Range(0, 10)
            .Select(t => new ModbusTag(1, ModbusTable.HoldingRegisters, (ushort)((t * 500) + d), ModbusDataType.UInt16)).ToArray())).ToArray();
        _coalesced = _clients.Select(_ => ModbusReadPlanner.Plan(Enumerable.Range(0, 250)
            .Select(t => new ModbusTag(1, ModbusTable.InputRegisters, (ushort)t, ModbusDataType.UInt16)).ToArray())).ToArray();
        _results = _clients.Select(_ => new ModbusTagReading[250]).ToArray();
        PollScattered().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var client in _clients)
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        foreach (var server in _servers)
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Per request: 50 devices × 10 scattered reads in flight together.</summary>
    [Benchmark(OperationsPerInvoke = Devices * 10)]
    public Task PollScattered() => Task.WhenAll(_scattered.Select((plan, d) => plan.ReadAsync(_clients[d], _results[d]).AsTask()));

    /// <summary>Per register: 50 devices × 250 adjacent registers in 2 requests each.</summary>
    [Benchmark(OperationsPerInvoke = Devices * 250)]
    public Task PollCoalesced() => Task.WhenAll(_coalesced.Select((plan, d) => plan.ReadAsync(_clients[d], _results[d]).AsTask()));
}
