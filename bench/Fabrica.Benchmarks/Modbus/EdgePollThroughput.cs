using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Fabrica.Edge.Adapters;
using Fabrica.Edge.Adapters.Modbus;
using Fabrica.Edge.Configuration;
using Fabrica.Edge.Runtime;
using Fabrica.Protocols.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fabrica.Benchmarks.Modbus;

/// <summary>
/// Poll throughput of one edge process (issue "Edge gateway": ≥ 5,000 Modbus requests/s against ≥ 50 simulated
/// devices with scattered addresses, and registers/s when adjacent addresses are coalesced). The edge side is the
/// edge's own acquisition path — one <c>DevicePoller</c> per device over the Modbus adapter the
/// <c>"adapter": "modbus"</c> config creates (read plan, pipelined <c>ModbusTcpClient</c>, tag pipelines) — with a
/// poll period of one tick, so every device polls back to back (or a given period, to see the cost of a fixed load). Only the runtime's sink is replaced by a counter: the
/// store-and-forward buffer and the uplink are measured on their own (docs/benchmarks.md, "Edge").
/// Requests are counted by the client's own "fabrica.modbus.client.requests" instrument.
/// </summary>
internal static class EdgePollThroughput
{
    public const string Argument = "--modbus-poll";

    /// <param name="period">The devices' poll period; zero polls back to back (the edge's ceiling).</param>
    public static async Task RunAsync(TextWriter output, int devices, TimeSpan duration, TimeSpan period)
    {
        await using var fleet = await SimulatedModbusDevices.StartAsync(devices);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{devices} simulated devices (ModbusTcpServer in a second process), {Environment.ProcessorCount} cores, poll period {(period == TimeSpan.Zero ? "0 (back to back)" : period.TotalMilliseconds + " ms")}, {duration.TotalSeconds:0} s per mode after 3 s warm-up"));
        output.WriteLine("mode        requests/s  registers/s  polls/s  timeouts  edge CPU (kernel share)  devices CPU  edge alloc/request");
        foreach (var mode in new[] { PollMode.Scattered, PollMode.Coalesced })
        {
            await RunModeAsync(output, fleet, mode, duration, period);
        }
    }

    private static async Task RunModeAsync(TextWriter output, SimulatedModbusDevices fleet, PollMode mode, TimeSpan duration, TimeSpan period)
    {
        using var counters = new RequestCounters();
        var sink = new CountingSink();
        var factory = new ModbusDeviceAdapterFactory();
        var context = new AdapterContext(TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var pollers = new List<(DevicePoller Poller, IDeviceAdapter Adapter)>();
        for (var d = 0; d < fleet.Ports.Length; d++)
        {
            var device = Device(d, fleet.Ports[d], mode, period);
            var adapter = factory.Create(device, context);
            pollers.Add((new DevicePoller(device, adapter, sink, TimeProvider.System, NullLogger.Instance), adapter));
        }

        var loops = pollers.Select(p => Task.Run(() => p.Poller.RunAsync(stop.Token))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(3));

        var (requests0, timeouts0, polls0) = (counters.Requests, counters.Timeouts, sink.Polls);
        using var self = Process.GetCurrentProcess();
        var (edgeCpu0, edgeKernel0, deviceCpu0, allocated0) = (self.TotalProcessorTime, self.PrivilegedProcessorTime, fleet.ProcessorTime, GC.GetTotalAllocatedBytes());
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        var seconds = clock.Elapsed.TotalSeconds;
        var requests = counters.Requests - requests0;
        var polls = sink.Polls - polls0;
        var timeouts = counters.Timeouts - timeouts0;
        self.Refresh();
        var edgeCpu = (self.TotalProcessorTime - edgeCpu0).TotalSeconds / seconds;
        var edgeKernel = (self.PrivilegedProcessorTime - edgeKernel0).TotalSeconds / seconds / Math.Max(edgeCpu, 1e-9);
        var deviceCpu = (fleet.ProcessorTime - deviceCpu0).TotalSeconds / seconds;
        var allocated = GC.GetTotalAllocatedBytes() - allocated0;

        await stop.CancelAsync();
        await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var (_, adapter) in pollers)
        {
            await adapter.DisposeAsync();
        }

        var registers = mode == PollMode.Scattered ? requests : polls * CoalescedTags;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode,-10} {requests / seconds,11:N0} {registers / seconds,12:N0} {polls / seconds,8:N0} {timeouts,9} {edgeCpu,5:0.00} cores ({edgeKernel:P0} kernel) {deviceCpu,6:0.00} cores {allocated / (double)Math.Max(requests, 1),14:N0} B"));
    }

    private const int ScatteredTags = 10;
    private const int CoalescedTags = 250;

    private enum PollMode
    {
        /// <summary>10 UInt16 holding registers 500 addresses apart: 10 requests per poll that no planner may merge.</summary>
        Scattered,

        /// <summary>250 adjacent UInt16 input registers: 2 requests of 125 per poll.</summary>
        Coalesced,
    }

    private static DeviceOptions Device(int index, int port, PollMode mode, TimeSpan period)
    {
        var tags = mode == PollMode.Scattered
            ? Enumerable.Range(0, ScatteredTags).Select(t => new TagOptions { Name = $"t{t}", Address = $"hr:{(t * 500) + index}", DataType = "uint16" })
            : Enumerable.Range(0, CoalescedTags).Select(t => new TagOptions { Name = $"t{t}", Address = $"ir:{t}", DataType = "uint16" });
        using var settings = JsonDocument.Parse($$"""{ "host": "127.0.0.1", "port": {{port}}, "unitId": 1, "maxOutstandingRequests": 16, "requestTimeout": "5s" }""");
        return new DeviceOptions
        {
            Id = $"device-{index}",
            Adapter = "modbus",
            Settings = settings.RootElement.Clone(),
            PollPeriod = period == TimeSpan.Zero ? TimeSpan.FromTicks(1) : period,
            ReadTimeout = TimeSpan.FromSeconds(5),
            Tags = [.. tags],
        };
    }

    /// <summary>The runtime's side of a device loop, reduced to counting complete polls.</summary>
    private sealed class CountingSink : IEdgeSink
    {
        private long _polls;

        public long Polls => Interlocked.Read(ref _polls);

        public void Read(int readings) => Interlocked.Increment(ref _polls);

        public void ApplyRules(string deviceId, string tag, Sample sample, CancellationToken cancellationToken)
        {
        }

        public void Report(string deviceId, string tag, Sample sample)
        {
        }

        public void DeviceStateChanged()
        {
        }
    }

    /// <summary>Listens to the Modbus client's own counters.</summary>
    private sealed class RequestCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _requests;
        private long _timeouts;

        public RequestCounters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ModbusMetrics.MeterName && instrument.Name is "fabrica.modbus.client.requests" or "fabrica.modbus.client.timeouts")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == "fabrica.modbus.client.requests")
                {
                    Interlocked.Add(ref _requests, value);
                }
                else
                {
                    Interlocked.Add(ref _timeouts, value);
                }
            });
            _listener.Start();
        }

        public long Requests => Interlocked.Read(ref _requests);

        public long Timeouts => Interlocked.Read(ref _timeouts);

        public void Dispose() => _listener.Dispose();
    }
}
