using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class WriteAndQueryTests
{
    private static readonly SeriesKey Temperature = new("press-7", "temperature");

    [Fact]
    public async Task Written_samples_come_back_as_raw_aggregates_and_latest()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        var batch = Enumerable.Range(0, 120).Select(i => S("press-7", "temperature", T0 + i * 1000, (double)i)).ToArray();
        await engine.WriteAsync(batch);

        var raw = engine.ReadRaw(Temperature, T0, T0 + 120_000, 1000);
        Assert.Equal(120, raw.Count);
        Assert.Equal(batch.Select(b => b.Sample), raw);

        var aggregates = engine.ReadAggregates(Temperature, T0, T0 + 120_000, TimeSpan.FromMinutes(1), 10);
        Assert.Equal(2, aggregates.Buckets.Count);
        var first = aggregates.Buckets[0];
        Assert.Equal(T0, first.Start);
        Assert.Equal(60, first.Count);
        Assert.Equal(Enumerable.Range(0, 60).Sum(), first.Sum);
        Assert.Equal(0, first.Min);
        Assert.Equal(59, first.Max);
        Assert.Equal(29.5, first.Average);
        Assert.Equal(batch[0].Sample, first.First);
        Assert.Equal(batch[59].Sample, first.Last);
        Assert.Equal(AggregateSource.Raw, aggregates.Source);

        Assert.Equal(batch[^1].Sample, engine.ReadLatest(Temperature));
        Assert.Null(engine.ReadLatest(new SeriesKey("press-7", "nothing")));
    }

    [Fact]
    public async Task Raw_reads_honour_range_and_limit()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Enumerable.Range(0, 100).Select(i => S("d", "t", T0 + i, (long)i)).ToArray());
        await engine.FlushAsync();
        await engine.WriteAsync(Enumerable.Range(100, 100).Select(i => S("d", "t", T0 + i, (long)i)).ToArray());

        var window = engine.ReadRaw(new SeriesKey("d", "t"), T0 + 90, T0 + 110, 1000);
        Assert.Equal(Enumerable.Range(90, 20).Select(i => T0 + i), window.Select(s => s.Timestamp));
        var limited = engine.ReadRaw(new SeriesKey("d", "t"), T0, T0 + 200, 5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => T0 + i), limited.Select(s => s.Timestamp));
        Assert.Empty(engine.ReadRaw(new SeriesKey("d", "t"), T0 + 10, T0 + 10, 5));
    }

    [Fact]
    public async Task Buckets_are_aligned_to_the_epoch_for_any_interval_including_negative_timestamps()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Enumerable.Range(-10, 20).Select(i => S("d", "t", i, (double)i)).ToArray());

        var result = engine.ReadAggregates(new SeriesKey("d", "t"), -10, 10, TimeSpan.FromMilliseconds(7), 100);
        Assert.Equal(new long[] { -14, -7, 0, 7 }, result.Buckets.Select(b => b.Start));
        Assert.Equal(new long[] { 3, 7, 7, 3 }, result.Buckets.Select(b => b.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.ReadAggregates(new SeriesKey("d", "t"), 0, 1, TimeSpan.FromTicks(5), 1));
    }

    [Fact]
    public async Task Strings_and_bools_aggregate_as_documented_and_a_kind_change_cuts_a_chunk()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        var key = new SeriesKey("d", "state");
        await engine.WriteAsync(new[] { S("d", "state", T0, true), S("d", "state", T0 + 1, false), S("d", "state", T0 + 2, true) });
        await engine.WriteAsync(new[] { S("d", "state", T0 + 3, "open"), S("d", "state", T0 + 4, "closed") });
        await engine.FlushAsync();

        var raw = engine.ReadRaw(key, T0, T0 + 10, 10);
        Assert.Equal(new[] { ValueKind.Bool, ValueKind.Bool, ValueKind.Bool, ValueKind.String, ValueKind.String }, raw.Select(s => s.Value.Kind));
        var bucket = Assert.Single(engine.ReadAggregates(key, T0, T0 + 10, TimeSpan.FromSeconds(1), 10).Buckets);
        Assert.Equal(5, bucket.Count);
        Assert.Equal(2, bucket.Sum);
        Assert.Equal(0, bucket.Min);
        Assert.Equal(1, bucket.Max);
        Assert.Equal(SampleValue.FromString("closed"), bucket.Last.Value);
        Assert.Equal(ValueKind.String, engine.ListSeries("d").Single().LastKind);
    }

    [Fact]
    public async Task List_series_filters_by_exact_device_and_tag()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(new[] { S("a", "x", T0, 1.0), S("a", "y", T0 + 5, 2.0), S("b", "x", T0, 3.0), S("ab", "x", T0, 4.0) });

        Assert.Equal(4, engine.ListSeries().Count);
        Assert.Equal(new[] { "x", "y" }, engine.ListSeries("a").Select(s => s.Key.Tag));
        Assert.Equal(new[] { "a", "ab", "b" }, engine.ListSeries(tag: "x").Select(s => s.Key.Device));
        var info = Assert.Single(engine.ListSeries("a", "y"));
        Assert.Equal(new SeriesInfo(new SeriesKey("a", "y"), ValueKind.Double, T0 + 5, T0 + 5), info);
    }

    [Fact]
    public async Task Many_concurrent_writers_lose_nothing()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                var samples = Enumerable.Range(0, 50).Select(i => S($"dev{w}", $"tag{i % 5}", T0 + batch * 100 + i, (double)i)).ToArray();
                await engine.WriteAsync(samples);
                if (w == 0 && batch % 5 == 0)
                    await engine.FlushAsync();
            }
        })).ToArray();
        await Task.WhenAll(writers);

        long total = 0;
        foreach (var series in engine.ListSeries())
            total += engine.ReadRaw(series.Key, long.MinValue, long.MaxValue, int.MaxValue).Count;
        Assert.Equal(8 * 20 * 50, total);
        await context.ReopenAsync();
        total = 0;
        foreach (var series in context.Engine!.ListSeries())
            total += context.Engine.ReadRaw(series.Key, long.MinValue, long.MaxValue, int.MaxValue).Count;
        Assert.Equal(8 * 20 * 50, total);
    }

    [Fact]
    public async Task A_sample_without_a_value_kind_is_rejected_before_the_wal()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await engine.WriteAsync(new[] { new SeriesSample(new SeriesKey("d", "t"), new Sample(T0, default)) }));
        Assert.Empty(engine.ListSeries());
    }
}
