using BenchmarkDotNet.Attributes;
using Fabrica.Storage;

namespace Fabrica.Benchmarks.Engine;

/// <summary>
/// Durable ingest: 4 concurrent writers, batches of 2,500 samples, each batch awaited until its WAL fsync. One
/// operation = one sample. The head flushes in the background as in production (HeadMaxSamples, default 20 M).
/// Goal (issue): ≥ 2,000,000 samples/s on 2 cores, i.e. ≤ 500 ns per sample.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class EngineIngestBenchmarks
{
    private const int SecondsPerInvoke = 300;   // 1,000 series × 300 s = 300,000 samples
    private TimeSeriesEngine _engine = null!;
    private string _directory = null!;
    private int _second;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = EngineDataSet.NewDirectory();
        _engine = await TimeSeriesEngine.OpenAsync(new StorageOptions { Directory = _directory, FlushInterval = TimeSpan.FromDays(1) });
    }

    [Benchmark(OperationsPerInvoke = EngineDataSet.SeriesCount * SecondsPerInvoke)]
    public async Task DurableBatches()
    {
        await EngineDataSet.WriteAsync(_engine, _second, _second + SecondsPerInvoke);
        _second += SecondsPerInvoke;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
