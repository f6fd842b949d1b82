using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class LastWriteWinsTests
{
    private static readonly SeriesKey Key = new("d", "t");

    private static async Task Write(TimeSeriesEngine engine, params (long Offset, double Value)[] samples) =>
        await engine.WriteAsync(samples.Select(s => S("d", "t", T0 + s.Offset, s.Value)).ToArray());

    private static Dictionary<long, double> Read(TimeSeriesEngine engine) =>
        engine.ReadRaw(Key, long.MinValue, long.MaxValue, int.MaxValue).ToDictionary(s => s.Timestamp - T0, s => s.Value.AsDouble());

    [Fact]
    public async Task Out_of_order_samples_are_accepted_and_read_back_in_order()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await Write(engine, (100, 1), (200, 2), (300, 3));
        await Write(engine, (150, 1.5), (50, 0.5));
        for (var i = 0; i < 40; i++)
            await Write(engine, (1000 + i, i));
        await Write(engine, (250, 2.5));

        var raw = engine.ReadRaw(Key, long.MinValue, long.MaxValue, int.MaxValue);
        Assert.Equal(raw.Select(s => s.Timestamp).Order(), raw.Select(s => s.Timestamp));
        Assert.Equal(46, raw.Count);
        Assert.Equal(2.5, Read(engine)[250]);
    }

    [Fact]
    public async Task Duplicates_resolve_last_write_wins_within_one_buffer_and_across_chunks()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await Write(engine, (10, 1), (10, 2));                     // in-order then out-of-order in one batch
        for (var i = 0; i < 40; i++)
            await Write(engine, (100 + i, i));                     // seals in-order chunks (16 samples each)
        await Write(engine, (105, -1), (105, -2), (120, -3));      // duplicates into sealed chunks
        for (var i = 0; i < 40; i++)
            await Write(engine, (10 - i, -100 - i));               // fills and seals out-of-order chunks
        await Write(engine, (5, 555));

        var values = Read(engine);
        Assert.Equal(-100, values[10]);
        Assert.Equal(-2, values[105]);
        Assert.Equal(-3, values[120]);
        Assert.Equal(555, values[5]);
        Assert.Single(engine.ReadRaw(Key, T0 + 105, T0 + 106, 10));
    }

    [Fact]
    public async Task Duplicates_resolve_last_write_wins_across_live_head_frozen_head_and_blocks()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await Write(engine, (1, 1), (2, 1), (3, 1), (4, 1));
        await engine.FlushAsync();                                  // block A: all 1
        await Write(engine, (2, 2), (3, 2), (4, 2));
        await engine.FlushAsync();                                  // block B overrides 2..4
        await Write(engine, (3, 3), (4, 3));                        // live head overrides 3..4
        Assert.Equal(new Dictionary<long, double> { [1] = 1, [2] = 2, [3] = 3, [4] = 3 }, Read(engine));

        // A write racing a flush: the flush freezes the head while this write is pending.
        var flush = engine.FlushAsync();
        await Write(engine, (4, 4));
        await flush;
        Assert.Equal(new Dictionary<long, double> { [1] = 1, [2] = 2, [3] = 3, [4] = 4 }, Read(engine));

        await context.ReopenAsync();
        Assert.Equal(new Dictionary<long, double> { [1] = 1, [2] = 2, [3] = 3, [4] = 4 }, Read(context.Engine!));
        Assert.Equal(4, context.Engine!.ReadLatest(Key)!.Value.Value.AsDouble());
        var bucket = Assert.Single(context.Engine.ReadAggregates(Key, T0, T0 + 10, TimeSpan.FromSeconds(1), 10).Buckets);
        Assert.Equal(4, bucket.Count);
        Assert.Equal(10, bucket.Sum);
    }

    [Fact]
    public async Task Latest_is_the_newest_timestamp_and_the_last_write_for_it_also_after_restart()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await Write(engine, (10, 1), (20, 2));
        await Write(engine, (15, 9));
        Assert.Equal(2, engine.ReadLatest(Key)!.Value.Value.AsDouble());
        await Write(engine, (20, 3));
        Assert.Equal(3, engine.ReadLatest(Key)!.Value.Value.AsDouble());
        await engine.FlushAsync();

        engine = await context.ReopenAsync();
        Assert.Equal(new Sample(T0 + 20, 3.0), engine.ReadLatest(Key));
        await Write(engine, (5, 100));
        Assert.Equal(new Sample(T0 + 20, 3.0), engine.ReadLatest(Key));
        await Write(engine, (20, 4));
        Assert.Equal(new Sample(T0 + 20, 4.0), engine.ReadLatest(Key));
    }
}
