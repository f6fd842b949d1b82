using System.Buffers;
using BenchmarkDotNet.Attributes;
using Fabrica.Protocols.Sparkplug;

namespace Fabrica.Benchmarks.Sparkplug;

/// <summary>
/// Encode and decode of a DDATA with 100 aliased metrics (the steady-state uplink message), and the host
/// application's Receive of it (decode + alias resolution + samples). Run:
/// <c>dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*SparkplugPayload*'</c>.
/// Allocation goal: none per metric beyond the protobuf objects; today each metric costs a generated Metric, our
/// SparkplugMetric record and, on receive, a SeriesSample slot — see docs/sparkplug.md for the measured figures.
/// </summary>
[MemoryDiagnoser]
public class SparkplugPayloadBenchmarks
{
    private const int Metrics = 100;
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private SparkplugPayload _payload = null!;
    private byte[] _encoded = null!;
    private SparkplugHostApplication _host = null!;
    private SparkplugEdgeNode _edge = null!;
    private SparkplugMetricUpdate[] _updates = null!;
    private string _topic = null!;

    [GlobalSetup]
    public void Setup()
    {
        var metrics = new SparkplugMetric[Metrics];
        for (var i = 0; i < Metrics; i++)
        {
            SparkplugValue value = (i % 4) switch
            {
                0 => SparkplugValue.Double(20 + i * 0.25),
                1 => SparkplugValue.Int32(i * 1000),
                2 => SparkplugValue.Boolean(i % 3 == 0),
                _ => SparkplugValue.Float(i * 1.5f),
            };
            metrics[i] = new SparkplugMetric(null, (ulong)(i + 1), 1_700_000_000_000 + i, value);
        }
        _payload = new SparkplugPayload(1_700_000_000_000, 42, metrics);
        _encoded = SparkplugPayloadCodec.Encode(_payload);

        _edge = new SparkplugEdgeNode("Plant1", "Edge1");
        _edge.DefineDevice("Press7", metrics.Select((m, i) => KeyValuePair.Create($"Tag{i}", m.Value)));
        _updates = metrics.Select((m, i) => new SparkplugMetricUpdate($"Tag{i}", m.Value, m.Timestamp)).ToArray();
        _host = new SparkplugHostApplication(new SparkplugHostOptions { ReorderTimeout = TimeSpan.FromDays(1) });
        _edge.CreateWill();
        foreach (var birth in _edge.CreateBirths())
            _host.Receive(birth.TopicName, birth.Payload);
        _topic = SparkplugTopic.ForDevice("Plant1", SparkplugMessageType.DDATA, "Edge1", "Press7").ToString();
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        SparkplugPayloadCodec.Encode(_payload, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Decode() => SparkplugPayloadCodec.Decode(_encoded).Metrics.Count;

    /// <summary>The edge side: update values, assign aliases and seq, encode.</summary>
    [Benchmark]
    public int EdgeDeviceData() => _edge.DeviceData("Press7", _updates).Payload.Length;

    /// <summary>The platform side: decode, check seq, resolve aliases, map to samples.</summary>
    [Benchmark]
    public int HostReceive() => _host.Receive(_topic, _edge.DeviceData("Press7", _updates).Payload).Samples.Count;
}
