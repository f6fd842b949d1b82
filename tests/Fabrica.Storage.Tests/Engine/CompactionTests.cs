using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class CompactionTests
{
    private static readonly SeriesKey Key = new("d", "t");

    private static Dictionary<long, double> Read(TimeSeriesEngine engine) =>
        engine.ReadRaw(Key, long.MinValue, long.MaxValue, int.MaxValue).ToDictionary(s => s.Timestamp, s => s.Value.AsDouble());

    [Fact]
    public async Task Compaction_preserves_data_and_removes_duplicates()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        var expected = new Dictionary<long, double>();
        for (var round = 0; round < 5; round++)
        {
            // Each round overwrites half of the previous round's timestamps and adds new ones.
            var batch = Enumerable.Range(round * 50, 100).Select(i => S("d", "t", T0 + i, round * 1000.0 + i)).ToArray();
            await engine.WriteAsync(batch);
            foreach (var s in batch)
                expected[s.Sample.Timestamp] = s.Sample.Value.AsDouble();
            await engine.FlushAsync();
        }
        Assert.Equal(5, context.BlockFiles().Length);
        var bucketsBefore = engine.ReadAggregates(Key, T0, T0 + 1000, TimeSpan.FromMinutes(1), 10).Buckets;

        await engine.CompactAsync();
        Assert.Single(context.BlockFiles());
        Assert.Equal(expected, Read(engine));
        Assert.Equal(bucketsBefore, engine.ReadAggregates(Key, T0, T0 + 1000, TimeSpan.FromMinutes(1), 10).Buckets);
        Assert.Equal(expected.Count, engine.ReadAggregates(Key, T0, T0 + 1000, TimeSpan.FromHours(1), 10).Buckets.Single().Count);

        engine = await context.ReopenAsync();
        Assert.Equal(expected, Read(engine));
        Assert.True(engine.Recovery.Clean);
    }

    [Fact]
    public async Task Blocks_younger_than_a_compacted_run_still_win_duplicates()
    {
        await using var context = new EngineTestContext(o => o with { CompactionBlockBytes = 1 << 20 });
        var engine = await context.OpenAsync();
        await engine.WriteAsync(new[] { S("d", "t", T0, 1.0) });
        await engine.FlushAsync();
        await engine.WriteAsync(new[] { S("d", "t", T0, 2.0), S("d", "t", T0 + 1, 2.0) });
        await engine.FlushAsync();
        await engine.CompactAsync();
        await engine.WriteAsync(new[] { S("d", "t", T0 + 1, 3.0) });
        await engine.FlushAsync();
        await engine.WriteAsync(new[] { S("d", "t", T0 + 1, 4.0) });
        Assert.Equal(new Dictionary<long, double> { [T0] = 2, [T0 + 1] = 4 }, Read(engine));
        await engine.FlushAsync();
        await engine.CompactAsync();
        Assert.Equal(new Dictionary<long, double> { [T0] = 2, [T0 + 1] = 4 }, Read(engine));
    }

    [Fact]
    public async Task An_interrupted_compaction_is_finished_at_open_without_duplicates()
    {
        await using var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        for (var round = 0; round < 3; round++)
        {
            await engine.WriteAsync(Enumerable.Range(0, 20).Select(i => S("d", "t", T0 + i, round * 100.0 + i)).ToArray());
            await engine.FlushAsync();
        }
        var expected = Read(engine);
        var inputs = context.BlockFiles();
        var saved = inputs.Select(File.ReadAllBytes).ToArray();
        await engine.CompactAsync();
        await engine.DisposeAsync();

        // Simulate a crash after the new block was published but before its inputs were deleted.
        for (var i = 0; i < inputs.Length; i++)
            await File.WriteAllBytesAsync(inputs[i], saved[i]);
        Assert.Equal(4, context.BlockFiles().Length);

        engine = await context.OpenAsync();
        Assert.Single(context.BlockFiles());
        Assert.Equal(expected, Read(engine));
        var bucket = Assert.Single(engine.ReadAggregates(Key, T0, T0 + 100, TimeSpan.FromSeconds(1), 10).Buckets);
        Assert.Equal(20, bucket.Count);
    }
}
