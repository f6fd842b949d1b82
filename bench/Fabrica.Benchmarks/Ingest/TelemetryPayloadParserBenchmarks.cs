using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Fabrica.Platform.Ingest;

namespace Fabrica.Benchmarks.Ingest;

/// <summary>
/// Telemetry JSON → samples, per sample (OperationsPerInvoke = samples per message), on one core.
/// Shapes: a batch of 100 timestamped objects × 10 tags with epoch-ms or RFC 3339 (microseconds, offset)
/// timestamps, and one flat 10-tag object at server time (per-message cost shows). Values are doubles and
/// bools, as most plant signals are. Goal: no allocation per sample — tag names come from a warm
/// <see cref="TagCache"/>, samples go into a reused <see cref="SampleBatch"/>.
/// <c>IngestToCompletedSink</c> adds the service around the parser (device check, counters, batch rental).
/// Run: dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*TelemetryPayloadParser*' --job short
/// </summary>
[MemoryDiagnoser]
public class TelemetryPayloadParserBenchmarks
{
    private const long Now = 1_764_480_000_000;

    private readonly TagCache _tags = new();
    private readonly SampleBatch _batch = new(2048);
    private byte[] _payload = [];
    private TelemetryIngest _ingest = null!;

    public enum Shape
    {
        BatchEpochMs,
        BatchRfc3339,
        Flat,
    }

    [Params(Shape.BatchEpochMs, Shape.BatchRfc3339, Shape.Flat)]
    public Shape Payload { get; set; }

    public int Samples => Payload == Shape.Flat ? 10 : 1000;

    [GlobalSetup]
    public void Setup()
    {
        _payload = Payload switch
        {
            Shape.Flat => Encoding.UTF8.GetBytes(Values(0)),
            Shape.BatchEpochMs => Batch(i => (Now - 100_000 + i * 1000).ToString(CultureInfo.InvariantCulture)),
            _ => Batch(i => $"\"{DateTimeOffset.FromUnixTimeMilliseconds(Now - 100_000 + i * 1000).ToOffset(TimeSpan.FromHours(1)):yyyy-MM-dd'T'HH:mm:ss.ffffffzzz}\""),
        };
        _ingest = new TelemetryIngest(new CompletedSink(), tags: _tags);
        if (!TelemetryPayloadParser.TryParse(_payload, "press-7", Now, IngestLimits.Default, _batch, out var rejection, _tags) || _batch.Count != Samples)
            throw new InvalidOperationException($"benchmark payload rejected: {rejection}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ingest.Dispose();
        _batch.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int Parse()
    {
        // OperationsPerInvoke is fixed per attribute: run the flat message 100 times to match.
        var total = 0;
        for (var repeat = Payload == Shape.Flat ? 100 : 1; repeat > 0; repeat--)
        {
            _batch.Clear();
            TelemetryPayloadParser.TryParse(_payload, "press-7", Now, IngestLimits.Default, _batch, out _, _tags);
            total += _batch.Count;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public async Task<int> IngestToCompletedSink()
    {
        var total = 0;
        for (var repeat = Payload == Shape.Flat ? 100 : 1; repeat > 0; repeat--)
            total += (await _ingest.IngestAsync("press-7", _payload, IngestTransport.Mqtt)).AcceptedSamples;
        return total;
    }

    private static byte[] Batch(Func<int, string> timestamp)
    {
        var json = new StringBuilder("[");
        for (var i = 0; i < 100; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("{\"ts\":").Append(timestamp(i)).Append(",\"values\":").Append(Values(i)).Append('}');
        }
        return Encoding.UTF8.GetBytes(json.Append(']').ToString());
    }

    private static string Values(int i) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"temperature":{{71.2 + i * 0.01}},"pressure":{{1.013 + i * 0.001}},"speed":{{1450 + i % 7}},"current":{{12.5 - i * 0.02}},"vibration_x":{{0.012 + i * 0.0001}},"vibration_y":{{0.014}},"flow":{{33.3}},"level":{{80 - i * 0.1}},"running":true,"alarm":false}""");

    private sealed class CompletedSink : ITelemetrySink
    {
        public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
