using BenchmarkDotNet.Attributes;
using Fabrica.Storage.Chunks;

namespace Fabrica.Benchmarks.Chunks;

/// <summary>
/// Encode and decode one 240-sample chunk per value kind. Goal: decode of doubles above 20 M samples/s;
/// decode allocates only the samples' destination list (reused here) and, for strings, the dictionary.
/// </summary>
[MemoryDiagnoser]
public class ChunkCodecBenchmarks
{
    private readonly List<Sample> _destination = new(CodecReport.ChunkSize);
    private Sample[] _samples = [];
    private byte[] _chunk = [];

    [Params("temperature-double", "vibration-double", "random-bits-double", "counter-long", "state-bool", "state-string")]
    public string Signal { get; set; } = "temperature-double";

    [GlobalSetup]
    public void Setup()
    {
        Sample[] day = Signal switch
        {
            "temperature-double" => IndustrialSignals.Temperature(jitter: true),
            "vibration-double" => IndustrialSignals.Vibration(jitter: true),
            "random-bits-double" => RandomBits(),
            "counter-long" => IndustrialSignals.Counter(jitter: true),
            "state-bool" => [.. IndustrialSignals.MachineState(jitter: true, asDouble: false).Select(s => s with { Value = s.Value.AsLong() == 1 })],
            _ => [.. IndustrialSignals.MachineState(jitter: true, asDouble: false).Select(s => s with { Value = $"STATE-{s.Value.AsLong()}" })],
        };
        _samples = day[..CodecReport.ChunkSize];
        _chunk = ChunkCodec.Encode(_samples);
    }

    [Benchmark(OperationsPerInvoke = CodecReport.ChunkSize)]
    public byte[] Encode() => ChunkCodec.Encode(_samples);

    [Benchmark(OperationsPerInvoke = CodecReport.ChunkSize)]
    public int Decode()
    {
        _destination.Clear();
        ChunkCodec.Decode(_chunk, _destination);
        return _destination.Count;
    }

    private static Sample[] RandomBits()
    {
        var random = new Random(9);
        return [.. Enumerable.Range(0, CodecReport.ChunkSize).Select(i => new Sample(i * 1000L, BitConverter.Int64BitsToDouble(random.NextInt64())))];
    }
}
