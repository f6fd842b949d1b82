using System.Diagnostics;
using Fabrica.Storage;

namespace Fabrica.Bench.Peers;

/// <summary>
/// <c>storage-load</c>: the data set into <see cref="TimeSeriesEngine"/> in-process, no network and no JSON:
/// <c>--writers</c> concurrent writers each await a durable <see cref="TimeSeriesEngine.WriteAsync"/> of
/// <c>--batch</c> samples (time-major, like the InfluxDB load). The rate is what the engine alone sustains.
/// </summary>
internal static class StorageLoader
{
    public static async Task<int> RunAsync(Options o)
    {
        var data = SensorDataSet.Create(o);
        var writers = o.Int("writers", 4);
        var batch = o.Int("batch", 5000);
        var keys = new SeriesKey[data.SeriesCount];
        for (var d = 0; d < data.Devices; d++)
        {
            for (var t = 0; t < data.TagsPerDevice; t++)
                keys[SensorDataSet.Series(d, t, data.TagsPerDevice)] = new SeriesKey(data.DeviceIds[d], data.TagNames[t]);
        }
        await using var engine = await TimeSeriesEngine.OpenAsync(new StorageOptions { Directory = o.String("dir") });
        var batches = (data.PointCount + batch - 1) / batch;
        long next = -1, written = 0;
        var clock = Stopwatch.StartNew();
        using var progress = new Timer(_ => Report.Progress($"  {clock.Elapsed.TotalSeconds:F0} s: {Interlocked.Read(ref written):N0} samples"), null, 5000, 5000);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var samples = new SeriesSample[batch];
            long b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                var end = Math.Min(data.PointCount, (b + 1) * batch);
                var n = 0;
                for (var p = b * batch; p < end; p++)
                {
                    var second = (int)(p / data.SeriesCount);
                    var series = (int)(p % data.SeriesCount);
                    samples[n++] = new SeriesSample(keys[series], new Sample(data.Timestamp(second), data.Value(series, second)));
                }
                await engine.WriteAsync(samples.AsMemory(0, n));
                Interlocked.Add(ref written, n);
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        // Like InfluxDB's full compaction of a cold shard: flush the head to a block, then compact the blocks.
        var flush = Stopwatch.StartNew();
        await engine.FlushAsync();
        var flushSeconds = flush.Elapsed.TotalSeconds;
        var compact = Stopwatch.StartNew();
        await engine.CompactAsync();
        var stats = engine.GetStatistics();
        Report.Line(("system", "fabrica-storage"), ("writers", writers), ("batch", batch), ("samples", written), ("seconds", elapsed),
            ("samples_per_s", written / elapsed), ("flush_s", flushSeconds), ("compact_s", compact.Elapsed.TotalSeconds),
            ("blocks", stats.BlockCount), ("block_bytes", stats.BlockBytes), ("wal_bytes", stats.WalBytes), ("head_samples", stats.HeadSamples));
        return 0;
    }
}
