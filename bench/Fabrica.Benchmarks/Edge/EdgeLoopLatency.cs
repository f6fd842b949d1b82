using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Protocols.Modbus;

namespace Fabrica.Benchmarks.Edge;

/// <summary>
/// Edge loop latency (issue 3, "What it must show"): from a Modbus register change being read to the rule's coil write
/// being sent. A real edge runtime polls a real Modbus TCP server on loopback (Fabrica.Protocols' server over a
/// probed in-memory unit); an edge rule opens a coil above a threshold and closes it below the deadband. The probe
/// stamps the moment the server hands out the first read that contains the new value and the moment the coil write
/// arrives at the server: the figure includes both loopback hops, the client's decoding, the tag pipeline, the rule
/// engine and the write queue, and excludes only the wait for the next poll (the poll period).
/// Not a BenchmarkDotNet benchmark: each measurement is one control-loop round trip on a live runtime.
/// <code>dotnet run -c Release --project bench/Fabrica.Benchmarks -- --edge-loop [transitions] [pollMs]</code>
/// </summary>
internal static class EdgeLoopLatency
{
    private const ushort Register = 10;
    private const ushort Coil = 3;

    public static async Task RunAsync(TextWriter output, int transitions, TimeSpan poll)
    {
        var probe = new ProbeUnit(new ModbusMemoryUnit(coils: 16, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 16));
        await using var server = new ModbusTcpServer(new ModbusMemoryDataModel().Add(1, probe), new ModbusServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        server.Start();
        var buffer = Path.Combine(Path.GetTempPath(), "fabrica-edge-loop-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = EdgeConfigLoader.Parse(Config(server.LocalEndPoint.Port, poll), "edge-loop benchmark", buffer);
            await using var edge = new EdgeRuntime(options, new EdgeRuntimeServices { Adapters = [new ModbusDeviceAdapterFactory()] });
            await edge.StartAsync();

            // Warm-up: JIT, connection, first rule instance.
            for (var i = 0; i < 20; i++)
                await probe.StepAsync(i % 2 == 0);
            var latencies = new double[transitions];
            for (var i = 0; i < transitions; i++)
                latencies[i] = await probe.StepAsync(i % 2 == 0);

            Array.Sort(latencies);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"edge loop latency, register read → coil write at the server, {transitions} transitions, poll {poll.TotalMilliseconds:0} ms:"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  p50 {Percentile(latencies, 0.50):0.000} ms, p90 {Percentile(latencies, 0.90):0.000} ms, p99 {Percentile(latencies, 0.99):0.000} ms, max {latencies[^1]:0.000} ms, mean {latencies.Average():0.000} ms"));
        }
        finally
        {
            try
            {
                Directory.Delete(buffer, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Config(int port, TimeSpan poll) => $$"""
        {
          "id": "bench-edge", "token": "fbg_unused",
          "platform": {"host": "127.0.0.1", "port": 1},
          "devices": [{
            "id": "press-1", "adapter": "modbus", "pollPeriod": "{{(int)poll.TotalMilliseconds}}ms",
            "settings": {"host": "127.0.0.1", "port": {{port}}, "unitId": 1},
            "tags": [
              {"name": "pressure", "address": "hr:{{Register}}", "dataType": "uint16"},
              {"name": "relief", "address": "coil:{{Coil}}", "dataType": "bool"}
            ]
          }],
          "rules": [{"id": "relief", "name": "Relief valve", "scope": ["pressure"],
            "condition": {"kind": "threshold", "tag": "pressure", "raiseAbove": 100, "clearBelow": 80},
            "actions": [{"kind": "writeTag", "tag": "relief", "value": "true"},
                        {"kind": "writeTag", "tag": "relief", "value": "false", "on": "cleared"}]}]
        }
        """;

    /// <summary>An in-memory unit that stamps the first read of an armed value and the coil write that answers it.</summary>
    private sealed class ProbeUnit(ModbusMemoryUnit inner) : IModbusUnit
    {
        private int _armed = -1;
        private bool _expectedCoil;
        private long _readAt;
        private TaskCompletionSource<double>? _done;

        /// <summary>Sets the register across the threshold and returns the read → write latency in milliseconds.</summary>
        public async Task<double> StepAsync(bool high)
        {
            var value = (ushort)(high ? 150 : 50);
            var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _readAt, 0);
            _expectedCoil = high;
            _done = done;
            Volatile.Write(ref _armed, value);
            inner.Write(ModbusTable.HoldingRegisters, Register, [value]);
            var latency = await done.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            Volatile.Write(ref _armed, -1);
            return latency;
        }

        public ModbusExceptionCode ReadBits(ModbusTable table, ushort address, Span<bool> destination) => inner.ReadBits(table, address, destination);

        public ModbusExceptionCode ReadRegisters(ModbusTable table, ushort address, Span<ushort> destination)
        {
            var result = inner.ReadRegisters(table, address, destination);
            var armed = Volatile.Read(ref _armed);
            if (armed >= 0 && table == ModbusTable.HoldingRegisters && address <= Register && Register < address + destination.Length
                && destination[Register - address] == armed)
                Interlocked.CompareExchange(ref _readAt, Stopwatch.GetTimestamp(), 0);
            return result;
        }

        public ModbusExceptionCode WriteCoils(ushort address, ReadOnlySpan<bool> values)
        {
            var now = Stopwatch.GetTimestamp();
            var result = inner.WriteCoils(address, values);
            var readAt = Volatile.Read(ref _readAt);
            if (Volatile.Read(ref _armed) >= 0 && address <= Coil && Coil < address + values.Length && values[Coil - address] == _expectedCoil && readAt != 0)
                _done?.TrySetResult(Stopwatch.GetElapsedTime(readAt, now).TotalMilliseconds);
            return result;
        }

        public ModbusExceptionCode WriteRegisters(ushort address, ReadOnlySpan<ushort> values) => inner.WriteRegisters(address, values);
    }
}
