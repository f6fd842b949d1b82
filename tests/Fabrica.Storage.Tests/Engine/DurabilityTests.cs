using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class DurabilityTests
{
    private static SeriesSample[] Batch(int start, int count) =>
        Enumerable.Range(start, count).Select(i => S($"dev{i % 3}", "v", T0 + i * 10, (double)i)).ToArray();

    private static List<Sample> All(TimeSeriesEngine engine) =>
        engine.ListSeries().SelectMany(s => engine.ReadRaw(s.Key, long.MinValue, long.MaxValue, int.MaxValue)).OrderBy(s => s.Timestamp).ToList();

    [Fact]
    public async Task Flush_and_reopen_loses_nothing()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Batch(0, 500));
        await engine.FlushAsync();
        await engine.WriteAsync(Batch(500, 500));
        await engine.FlushAsync();
        await engine.WriteAsync(Batch(1000, 10));
        var before = All(engine);
        Assert.Equal(1010, before.Count);
        Assert.Equal(2, engine.GetStatistics().BlockCount);

        engine = await context.ReopenAsync();
        Assert.Equal(before, All(engine));
        Assert.Equal(2, engine.Recovery.BlocksLoaded);
        Assert.Equal(10, engine.Recovery.WalSamplesReplayed);
        Assert.True(engine.Recovery.Clean);
    }

    [Fact]
    public async Task Reopen_after_dispose_without_flush_replays_the_wal()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Batch(0, 300));
        await engine.WriteAsync(new[] { S("dev0", "v", T0, -1.0) });
        var before = All(engine);

        engine = await context.ReopenAsync();
        Assert.Equal(301, engine.Recovery.WalSamplesReplayed);
        Assert.Equal(0, engine.Recovery.BlocksLoaded);
        Assert.Equal(before, All(engine));
        Assert.Equal(-1.0, engine.ReadRaw(new SeriesKey("dev0", "v"), T0, T0 + 1, 1)[0].Value.AsDouble());
    }

    [Fact]
    public async Task Leftover_temporary_files_are_deleted_at_open()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Batch(0, 10));
        await engine.FlushAsync();
        var temp = Path.Combine(context.BlocksDirectory, "00000000000000ff.blk.tmp");
        await File.WriteAllTextAsync(temp, "half a block");

        engine = await context.ReopenAsync();
        Assert.False(File.Exists(temp));
        Assert.Equal(10, All(engine).Count);
    }

    [Fact]
    public async Task A_second_engine_cannot_open_the_same_directory()
    {
        await using var context = new EngineTestContext();
        await context.OpenAsync();
        await Assert.ThrowsAnyAsync<IOException>(() => TimeSeriesEngine.OpenAsync(context.Options));
    }

    [Fact]
    public async Task Head_max_samples_triggers_a_background_flush()
    {
        await using var context = new EngineTestContext(o => o with { HeadMaxSamples = 100 });
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Batch(0, 150));
        for (var i = 0; i < 200 && engine.GetStatistics().BlockCount == 0; i++)
            await Task.Delay(10);
        Assert.Equal(1, engine.GetStatistics().BlockCount);
        Assert.Equal(150, All(engine).Count);
    }

    [Fact]
    public async Task Flush_interval_on_the_injected_clock_triggers_a_background_flush()
    {
        await using var context = new EngineTestContext(o => o with { FlushInterval = TimeSpan.FromMinutes(15) });
        var engine = await context.OpenAsync();
        await engine.WriteAsync(Batch(0, 20));
        context.Time.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 200 && engine.GetStatistics().BlockCount == 0; i++)
            await Task.Delay(10);
        Assert.Equal(1, engine.GetStatistics().BlockCount);
        Assert.Equal(0, engine.GetStatistics().HeadSamples);
    }
}
