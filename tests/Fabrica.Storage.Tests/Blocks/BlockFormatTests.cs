using Fabrica.Storage.Blocks;
using Fabrica.Storage.Chunks;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Tests.Blocks;

public sealed class BlockFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fabrica-block-tests", Guid.NewGuid().ToString("N"));

    public BlockFormatTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteBlock()
    {
        using var writer = BlockWriter.Create(_directory, 7);
        var key = new SeriesKey("d", "t");
        writer.BeginSeries(key);
        writer.AddChunk(ChunkCodec.Encode([new Sample(10, 1.0), new Sample(20, 2.0)]), (7L << 32) | 1);
        writer.AddChunk(ChunkCodec.Encode([new Sample(5, "late")]), (7L << 32) | 2);
        var aggregate = default(Aggregate);
        aggregate.Add(new Sample(10, 1.0));
        aggregate.Add(new Sample(20, 2.0));
        writer.AddRollups(60_000, [new RollupRecord(0, aggregate)]);
        writer.EndSeries();
        return writer.Complete(7L << 32, (7L << 32) | 0xFFFF_FFFF, 1234, [3, 4]).Path;
    }

    [Fact]
    public void A_written_block_reads_back_with_its_index_chunks_and_rollups()
    {
        var path = WriteBlock();
        Assert.Equal("0000000000000007.blk", Path.GetFileName(path));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        using var block = Block.Open(path, verifyEveryChunk: true);
        Assert.False(block.IsDamaged);
        Assert.Equal(new long[] { 3, 4 }, block.Meta.Replaces);
        Assert.Equal((5L, 20L, 3L), (block.Meta.MinTimestamp, block.Meta.MaxTimestamp, block.Meta.Samples));
        var series = block.Series[new SeriesKey("d", "t")];
        Assert.Equal(new long[] { 5, 10 }, series.Chunks.Select(c => c.MinTimestamp));
        Assert.True(block.TryReadChunk(series.Key, series.Chunks[1], out var bytes));
        var samples = new List<Sample>();
        ChunkCodec.Decode(bytes.Span, samples);
        Assert.Equal(new[] { new Sample(10, 1.0), new Sample(20, 2.0) }, samples);
        var records = new List<RollupRecord>();
        block.ReadRollups(series.Key, series.Rollups[0], records);
        Assert.Equal(3.0, Assert.Single(records).Aggregate.Sum);
    }

    [Fact]
    public void Every_single_flipped_byte_is_detected_and_never_throws_anything_but_BlockFormatException()
    {
        var original = File.ReadAllBytes(WriteBlock());
        var path = Path.Combine(_directory, "0000000000000008.blk");
        for (var i = 0; i < original.Length; i++)
        {
            var damaged = (byte[])original.Clone();
            damaged[i] ^= 0x01;
            File.WriteAllBytes(path, damaged);
            try
            {
                using var block = Block.Open(path, verifyEveryChunk: true);
                Assert.True(block.IsDamaged, $"flip at {i} went unnoticed");
            }
            catch (BlockFormatException)
            {
            }
        }
    }

    [Fact]
    public void A_truncated_block_is_rejected_at_every_length()
    {
        var original = File.ReadAllBytes(WriteBlock());
        var path = Path.Combine(_directory, "0000000000000009.blk");
        for (var length = 0; length < original.Length; length++)
        {
            File.WriteAllBytes(path, original.AsSpan(0, length).ToArray());
            Assert.Throws<BlockFormatException>(() => Block.Open(path, verifyEveryChunk: true).Dispose());
        }
    }
}
