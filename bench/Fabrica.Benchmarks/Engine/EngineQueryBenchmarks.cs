using BenchmarkDotNet.Attributes;
using Fabrica.Storage;

namespace Fabrica.Benchmarks.Engine;

/// <summary>
/// The two query targets of the storage issue over one day of 1,000 series at 1 Hz (86.4 M samples), written
/// through the engine with a flush every 15 simulated minutes and compacted, as the background would do:
/// "1 h mean of each of 1,000 series" ≤ 0.15 s and "1,000 series × 1 day into 1-hour buckets" &lt; 0.5 s.
/// The last 15 minutes stay in the head, so the day query combines roll-ups (blocks) with raw data (head).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class EngineQueryBenchmarks
{
    private const int Day = 86_400;
    private TimeSeriesEngine _engine = null!;
    private string _directory = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = EngineDataSet.NewDirectory();
        _engine = await TimeSeriesEngine.OpenAsync(new StorageOptions { Directory = _directory, FlushInterval = TimeSpan.FromDays(1), HeadMaxSamples = long.MaxValue });
        for (var second = 0; second < Day; second += 900)
        {
            await EngineDataSet.WriteAsync(_engine, second, second + 900);
            if (second + 900 < Day)
                await _engine.FlushAsync();
        }
        await _engine.CompactAsync();
    }

    /// <summary>Mean of hour 12 of every series (a flushed hour: answered from 1-hour roll-ups).</summary>
    [Benchmark]
    public double HourlyMeanOf1000Series()
    {
        var from = EngineDataSet.T0 + 12 * 3_600_000L;
        var total = 0.0;
        foreach (var key in EngineDataSet.Keys)
            total += _engine.ReadAggregates(key, from, from + 3_600_000, TimeSpan.FromHours(1), 1).Buckets[0].Average;
        return total;
    }

    /// <summary>Mean of the last hour of every series, whose last 15 minutes are in the head (raw path for that hour).</summary>
    [Benchmark]
    public double HourlyMeanOf1000SeriesWithHeadData()
    {
        var from = EngineDataSet.T0 + 23 * 3_600_000L;
        var total = 0.0;
        foreach (var key in EngineDataSet.Keys)
            total += _engine.ReadAggregates(key, from, from + 3_600_000, TimeSpan.FromHours(1), 1).Buckets[0].Average;
        return total;
    }

    /// <summary>24 hourly buckets of every series over the whole day.</summary>
    [Benchmark]
    public long OneDayInHourlyBucketsOf1000Series()
    {
        long buckets = 0;
        foreach (var key in EngineDataSet.Keys)
            buckets += _engine.ReadAggregates(key, EngineDataSet.T0, EngineDataSet.T0 + Day * 1000L, TimeSpan.FromHours(1), 24).Buckets.Count;
        return buckets;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
