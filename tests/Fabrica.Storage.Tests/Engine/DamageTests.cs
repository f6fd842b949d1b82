using static Fabrica.Storage.Tests.Engine.EngineTestContext;

namespace Fabrica.Storage.Tests.Engine;

public sealed class DamageTests
{
    private static async Task<EngineTestContext> ThreeBlocks()
    {
        var context = new EngineTestContext();
        var engine = await context.OpenAsync();
        foreach (var device in new[] { "a", "b", "c" })
        {
            await engine.WriteAsync(Enumerable.Range(0, 100).Select(i => S(device, "t", T0 + i * 1000, (double)i)).ToArray());
            await engine.FlushAsync();
        }
        await engine.DisposeAsync();
        return context;
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x40));
    }

    [Theory]
    [InlineData(0.05)]   // in chunk data: the index survives, the block is served without the chunk
    [InlineData(0.98)]   // in the index or footer: the whole block is skipped
    [InlineData(0.0)]    // the magic number
    public async Task A_flipped_byte_in_a_block_is_reported_at_open_and_the_other_blocks_are_served(double position)
    {
        await using var context = await ThreeBlocks();
        var damaged = context.BlockFiles()[1];   // device "b"
        FlipByte(damaged, (long)((new FileInfo(damaged).Length - 1) * position));

        var engine = await context.OpenAsync();
        Assert.False(engine.Recovery.Clean);
        Assert.Contains(engine.Recovery.DamagedBlocks, d => d.Contains(Path.GetFileName(damaged), StringComparison.Ordinal));
        Assert.Equal(100, engine.ReadRaw(new SeriesKey("a", "t"), long.MinValue, long.MaxValue, 1000).Count);
        Assert.Equal(100, engine.ReadRaw(new SeriesKey("c", "t"), long.MinValue, long.MaxValue, 1000).Count);
        Assert.True(engine.ReadRaw(new SeriesKey("b", "t"), long.MinValue, long.MaxValue, 1000).Count < 100);
        _ = engine.ReadAggregates(new SeriesKey("b", "t"), T0, T0 + 100_000, TimeSpan.FromMinutes(1), 10);

        var check = TimeSeriesEngine.Check(context.Directory);
        Assert.False(check.Ok);
        var bad = Assert.Single(check.Files, f => !f.Ok);
        Assert.Equal(damaged, bad.Path);
        Assert.NotNull(bad.Problem);
        Assert.Equal(3, check.Files.Count(f => f.Path.EndsWith(".blk", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Check_of_a_healthy_directory_lists_every_file_as_ok()
    {
        await using var context = await ThreeBlocks();
        var check = TimeSeriesEngine.Check(context.Directory);
        Assert.True(check.Ok);
        Assert.Equal(3, check.Files.Count(f => f.Path.EndsWith(".blk", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_truncated_block_is_skipped_and_a_garbage_file_does_not_stop_the_engine()
    {
        await using var context = await ThreeBlocks();
        var victim = context.BlockFiles()[0];
        using (var file = new FileStream(victim, FileMode.Open))
            file.SetLength(file.Length / 2);
        await File.WriteAllBytesAsync(Path.Combine(context.BlocksDirectory, "00000000000000fe.blk"), new byte[10]);

        var engine = await context.OpenAsync();
        Assert.Equal(2, engine.Recovery.DamagedBlocks.Count);
        Assert.Equal(100, engine.ReadRaw(new SeriesKey("c", "t"), long.MinValue, long.MaxValue, 1000).Count);
        await engine.WriteAsync(new[] { S("a", "t", T0, 1.0) });
        await engine.FlushAsync();
        Assert.Single(engine.ReadRaw(new SeriesKey("a", "t"), long.MinValue, long.MaxValue, 1000));
    }
}
