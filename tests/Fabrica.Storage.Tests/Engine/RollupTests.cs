using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class RollupTests
{
    private static readonly SeriesKey Key = new("kiln-1", "temperature");
    private const long Hour = 3_600_000;

    private static SeriesSample At(long offset, double value) => S("kiln-1", "temperature", T0 + offset, value);

    /// <summary>Both paths over the same range: counts, extremes, first and last exactly; sums to rounding.</summary>
    private static void AssertPathsAgree(TimeSeriesEngine engine, TimeSpan interval, long from, long to, bool expectRollup)
    {
        var rollup = engine.ReadAggregates(Key, from, to, interval, 10_000);
        var raw = engine.ReadAggregates(Key, from, to, interval, 10_000, allowRollups: false);
        Assert.Equal(AggregateSource.Raw, raw.Source);
        if (expectRollup)
            Assert.Equal(AggregateSource.Rollup, rollup.Source);
        Assert.Equal(raw.Buckets.Count, rollup.Buckets.Count);
        for (var i = 0; i < raw.Buckets.Count; i++)
        {
            var (r, u) = (raw.Buckets[i], rollup.Buckets[i]);
            Assert.Equal(r.Start, u.Start);
            Assert.Equal(r.Count, u.Count);
            Assert.Equal(r.Min, u.Min);
            Assert.Equal(r.Max, u.Max);
            Assert.Equal(r.First, u.First);
            Assert.Equal(r.Last, u.Last);
            Assert.Equal(r.Sum, u.Sum, 1e-9 * Math.Max(1, Math.Abs(r.Sum)));
            Assert.Equal(r.Average, u.Average, 1e-9 * Math.Max(1, Math.Abs(r.Average)));
        }
    }

    private static void AssertAllPathsAgree(TimeSeriesEngine engine, bool expectRollup)
    {
        foreach (var interval in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(2) })
        {
            AssertPathsAgree(engine, interval, T0, T0 + 4 * Hour, expectRollup);
            AssertPathsAgree(engine, interval, T0 + 1234, T0 + 3 * Hour + 777, expectRollup);
        }
    }

    [Fact]
    public async Task Backfill_into_rolled_up_hours_gives_the_same_aggregates_on_the_raw_and_rollup_paths()
    {
        await using var context = new EngineTestContext(o => o with { ChunkSamples = 240 });
        var engine = await context.OpenAsync();
        // Three hours at one sample per 10 s, rolled up at flush.
        await engine.WriteAsync(Enumerable.Range(0, 3 * 360).Select(i => At(i * 10_000L, Math.Sin(i) * 10 + 0.1 * i)).ToArray());
        await engine.FlushAsync();
        AssertAllPathsAgree(engine, expectRollup: true);
        var hourBefore = engine.ReadAggregates(Key, T0 + Hour, T0 + 2 * Hour, TimeSpan.FromHours(1), 1).Buckets[0];

        // Edge backfill into the second hour: new timestamps, duplicates with new values, a new first, min and max.
        var backfill = new List<SeriesSample>();
        for (var i = 0; i < 100; i++)
            backfill.Add(At(Hour + i * 30_000L + (i % 2 == 0 ? 0 : 5_000), i * 0.25));
        backfill.AddRange([At(Hour, 1000), At(Hour + 5_000, -1000), At(2 * Hour - 1, 42)]);
        await engine.WriteAsync(backfill.ToArray());
        AssertAllPathsAgree(engine, expectRollup: true);   // the backfilled hour comes from raw (head), others from roll-ups

        await engine.FlushAsync();                           // roll-ups of the affected buckets are recomputed
        AssertAllPathsAgree(engine, expectRollup: true);
        var hourAfter = engine.ReadAggregates(Key, T0 + Hour, T0 + 2 * Hour, TimeSpan.FromHours(1), 1);
        Assert.Equal(AggregateSource.Rollup, hourAfter.Source);
        Assert.Equal(TimeSpan.FromHours(1), hourAfter.TierResolution);
        Assert.Equal(hourBefore.Count + 52, hourAfter.Buckets[0].Count);
        Assert.Equal(1000, hourAfter.Buckets[0].Max);
        Assert.Equal(-1000, hourAfter.Buckets[0].Min);
        Assert.Equal(42, hourAfter.Buckets[0].Last.Value.AsDouble());

        await engine.CompactAsync();
        AssertAllPathsAgree(engine, expectRollup: true);
        engine = await context.ReopenAsync();
        AssertAllPathsAgree(engine, expectRollup: true);
    }

    [Fact]
    public async Task Retention_drops_raw_data_but_keeps_rollups_and_queries_answer_from_them()
    {
        var tiers = new RetentionTier[] { new(TimeSpan.Zero, TimeSpan.FromDays(1)), new(TimeSpan.FromMinutes(1), TimeSpan.FromDays(30)), new(TimeSpan.FromHours(1), TimeSpan.FromDays(365)) };
        await using var context = new EngineTestContext(o => o with { Tiers = tiers });
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Enumerable.Range(0, 720).Select(i => At(i * 10_000L, i)).ToArray());
        await engine.FlushAsync();
        var hourly = engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromHours(1), 10).Buckets;
        var minutely = engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromMinutes(1), 1000).Buckets;

        context.Time.Advance(TimeSpan.FromDays(2));
        await engine.ApplyRetentionAsync();
        Assert.Empty(engine.ReadRaw(Key, long.MinValue, long.MaxValue, 10));
        Assert.Empty(engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromSeconds(30), 10).Buckets);
        var fromRollups = engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromHours(1), 10);
        Assert.Equal(AggregateSource.Rollup, fromRollups.Source);
        Assert.Equal(hourly, fromRollups.Buckets);
        Assert.Equal(minutely, engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromMinutes(1), 1000).Buckets);

        // Late data into an hour whose raw data is gone is folded into its roll-ups.
        await engine.WriteAsync(new[] { At(30 * 60_000 + 1, 5000) });
        Assert.Equal(hourly[0].Count + 1, engine.ReadAggregates(Key, T0, T0 + Hour, TimeSpan.FromHours(1), 1).Buckets[0].Count);
        await engine.FlushAsync();
        await engine.ApplyRetentionAsync();
        var folded = engine.ReadAggregates(Key, T0, T0 + Hour, TimeSpan.FromHours(1), 1).Buckets[0];
        Assert.Equal(hourly[0].Count + 1, folded.Count);
        Assert.Equal(5000, folded.Max);

        engine = await context.ReopenAsync();
        Assert.Equal(folded, engine.ReadAggregates(Key, T0, T0 + Hour, TimeSpan.FromHours(1), 1).Buckets[0]);

        context.Time.Advance(TimeSpan.FromDays(31));
        await engine.ApplyRetentionAsync();
        Assert.Empty(engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromMinutes(1), 1000).Buckets);
        Assert.Equal(2, engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromHours(1), 10).Buckets.Count);

        context.Time.Advance(TimeSpan.FromDays(400));
        await engine.ApplyRetentionAsync();
        Assert.Empty(engine.ReadAggregates(Key, T0, T0 + 2 * Hour, TimeSpan.FromHours(1), 10).Buckets);
        Assert.Equal(0, engine.GetStatistics().BlockCount);
    }
}
