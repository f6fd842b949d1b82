using BenchmarkDotNet.Attributes;
using Fabrica.Storage.Wal;

namespace Fabrica.Benchmarks.Wal;

/// <summary>
/// WAL record encoder and decoder, per sample (OperationsPerInvoke = batch size): 100 series of a factory line,
/// doubles with a 1 s period. Goal: encode allocation-free (the buffer and tables are reused); decode allocates
/// only the strings of each record's table and the sample array's growth.
/// Run: dotnet run -c Release --project bench/Fabrica.Benchmarks -- --filter '*WalRecordCodec*' --job short
/// </summary>
[MemoryDiagnoser]
public class WalRecordCodecBenchmarks
{
    private WalRecordEncoder _encoder = null!;
    private WalBuffer _buffer = null!;
    private WalRecordDecoder _decoder = null!;
    private SeriesSample[] _samples = [];
    private byte[] _payload = [];

    [Params(1_000, 10_000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _samples = WalBenchmarkData.Batch(BatchSize);
        _encoder = new WalRecordEncoder();
        _buffer = new WalBuffer(1024 * 1024);
        _decoder = new WalRecordDecoder();
        _encoder.Encode(_samples, _buffer);
        _payload = _buffer.WrittenSpan[WalFormat.RecordHeaderBytes..].ToArray();
        Console.WriteLine($"// {BatchSize} samples -> {_buffer.Length} bytes ({(double)_buffer.Length / BatchSize:F2} bytes/sample)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _buffer.Dispose();
    }

    [Benchmark]
    public int Encode()
    {
        _buffer.Clear();
        return _encoder.Encode(_samples, _buffer);
    }

    [Benchmark]
    public int Decode() => _decoder.Decode(_payload).Length;
}

internal static class WalBenchmarkData
{
    private static readonly SeriesKey[] Keys = [.. Enumerable.Range(0, 100).Select(i => new SeriesKey($"press-{i / 10:D2}", $"sensor-{i % 10}.value"))];

    public static SeriesSample[] Batch(int count, long start = 1_700_000_000_000)
    {
        var samples = new SeriesSample[count];
        for (var i = 0; i < count; i++)
        {
            var t = start + i / Keys.Length * 1000L;
            samples[i] = new SeriesSample(Keys[i % Keys.Length], new Sample(t, 20 + Math.Sin(i * 0.01) * 5));
        }
        return samples;
    }
}
