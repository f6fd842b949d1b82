using Fabrica.Storage.Chunks;

namespace Fabrica.Storage.Tests.Chunks;

public sealed class ChunkCodecValidationTests
{
    [Fact]
    public void Encode_rejects_an_empty_chunk() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([]));

    [Fact]
    public void Encode_rejects_more_than_65535_samples() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode(Enumerable.Range(0, 65536).Select(i => new Sample(i, 1.0)).ToArray()));

    [Fact]
    public void Encode_rejects_duplicate_timestamps() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([new Sample(1, 1.0), new Sample(1, 2.0)]));

    [Fact]
    public void Encode_rejects_decreasing_timestamps() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([new Sample(long.MaxValue, 1.0), new Sample(long.MinValue, 2.0)]));

    [Fact]
    public void Encode_rejects_mixed_value_kinds() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([new Sample(1, 1.0), new Sample(2, 2L)]));

    [Fact]
    public void Encode_rejects_a_default_value_without_kind() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([new Sample(1, default)]));

    [Fact]
    public void Encode_rejects_strings_with_lone_surrogates_which_utf8_cannot_carry() =>
        Assert.Throws<ArgumentException>(() => ChunkCodec.Encode([new Sample(1, "ok"), new Sample(2, "\uD800x")]));

    [Fact]
    public void Read_header_rejects_an_unknown_format_version()
    {
        byte[] chunk = ChunkCodec.Encode([new Sample(1, 1.0)]);
        chunk[0] = 2;
        Assert.Throws<ChunkFormatException>(() => ChunkCodec.ReadHeader(chunk));
    }

    [Fact]
    public void Decode_rejects_a_chunk_with_trailing_bytes()
    {
        byte[] chunk = [.. ChunkCodec.Encode([new Sample(1, 1.0), new Sample(2, 2.0)]), 0];
        Assert.Throws<ChunkFormatException>(() => ChunkCodec.Decode(chunk, []));
    }

    [Fact]
    public void Decode_leaves_the_destination_untouched_when_the_chunk_is_malformed()
    {
        byte[] chunk = ChunkCodec.Encode([new Sample(1, 1.5), new Sample(2, 2.5), new Sample(3, 3.5)]);
        var destination = new List<Sample> { new(0, 0.0) };
        Assert.Throws<ChunkFormatException>(() => ChunkCodec.Decode(chunk.AsSpan(0, chunk.Length - 1), destination));
        Assert.Single(destination);
    }
}
