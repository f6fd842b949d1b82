using Fabrica.Storage.Blocks;
using Fabrica.Storage.Chunks;

namespace Fabrica.Storage.Query;

/// <summary>
/// One run of samples of one series that a query may read: a sealed head chunk, a copy of an open head buffer, or a
/// chunk in a block. Within a run timestamps are strictly increasing; across runs, for equal timestamps, the run with
/// the larger write sequence wins (last write wins).
/// </summary>
internal readonly struct SampleSource
{
    private readonly byte[]? _encoded;
    private readonly Sample[]? _decoded;
    private readonly Block? _block;
    private readonly ChunkRef _ref;
    private readonly SeriesKey _key;

    private SampleSource(long minTs, long maxTs, long seq, byte[]? encoded, Sample[]? decoded, Block? block, ChunkRef chunk, SeriesKey key)
    {
        MinTimestamp = minTs;
        MaxTimestamp = maxTs;
        Seq = seq;
        _encoded = encoded;
        _decoded = decoded;
        _block = block;
        _ref = chunk;
        _key = key;
    }

    public long MinTimestamp { get; }

    public long MaxTimestamp { get; }

    public long Seq { get; }

    public bool IsHead => _block is null;

    public static SampleSource FromEncoded(byte[] chunk, long seq, long minTs, long maxTs) => new(minTs, maxTs, seq, chunk, null, null, default, default);

    /// <summary>Samples already sorted by timestamp without duplicates (an owned copy).</summary>
    public static SampleSource FromSamples(Sample[] samples, long seq) =>
        new(samples[0].Timestamp, samples[^1].Timestamp, seq, null, samples, null, default, default);

    public static SampleSource FromBlock(Block block, SeriesKey key, in ChunkRef chunk) =>
        new(chunk.MinTimestamp, chunk.MaxTimestamp, chunk.Seq, null, null, block, chunk, key);

    public bool Overlaps(long from, long to) => MaxTimestamp >= from && MinTimestamp < to;

    /// <summary>Appends the run's samples; a damaged block chunk contributes nothing (the block records why).</summary>
    public void Decode(List<Sample> destination)
    {
        if (_decoded is not null)
        {
            destination.AddRange(_decoded);
            return;
        }
        if (_encoded is not null)
        {
            ChunkCodec.Decode(_encoded, destination);
            return;
        }
        if (!_block!.TryReadChunk(_key, _ref, out var bytes))
            return;
        var before = destination.Count;
        try
        {
            ChunkCodec.Decode(bytes.Span, destination);
        }
        catch (ChunkFormatException)
        {
            // CRC-valid bytes the codec rejects: treat like damage, never fail the query.
            destination.RemoveRange(before, destination.Count - before);
        }
    }
}
