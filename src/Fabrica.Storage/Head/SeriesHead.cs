using Fabrica.Storage.Chunks;
using Fabrica.Storage.Query;

namespace Fabrica.Storage.Head;

/// <summary>
/// The head data of one series in one generation: sealed (compressed) chunks, an open in-order buffer and an
/// out-of-order buffer. Guarded by the owning <see cref="MemSeries.Gate"/>.
/// <para>
/// LWW argument: a sample goes to the in-order buffer only if it is newer than every in-order sample of this
/// generation, so an out-of-order sample is always written after any in-order sample with its timestamp. In-order
/// buffers take their sequence when opened, out-of-order buffers when sealed (and the largest sequence of the
/// generation while open), so for equal timestamps the later write always carries the larger sequence.
/// </para>
/// </summary>
internal sealed class SeriesHead
{
    private const int InitialBuffer = 16;

    private readonly List<SealedChunk> _sealed = [];
    private Sample[] _open = new Sample[InitialBuffer];
    private int _openCount;
    private long _openSeq;
    private Sample[]? _ooo;
    private int _oooCount;
    private long _inOrderMax = long.MinValue;

    public SeriesHead(MemSeries owner, HeadGeneration generation)
    {
        Owner = owner;
        Generation = generation;
    }

    public MemSeries Owner { get; }

    public HeadGeneration Generation { get; }

    /// <summary>The same series' head data in the next older, not yet published generation.</summary>
    public SeriesHead? Older { get; set; }

    public void Append(in Sample sample, int chunkSamples)
    {
        if (sample.Timestamp > _inOrderMax)
        {
            if (_openCount > 0 && (_openCount >= chunkSamples || _open[0].Value.Kind != sample.Value.Kind))
                SealOpen();
            if (_openCount == 0)
                _openSeq = Generation.NextSeq();
            if (_openCount == _open.Length)
                Array.Resize(ref _open, Math.Min(_open.Length * 4, chunkSamples));
            _open[_openCount++] = sample;
            _inOrderMax = sample.Timestamp;
            return;
        }
        if (_oooCount > 0 && (_oooCount >= chunkSamples || _ooo![0].Value.Kind != sample.Value.Kind))
            SealOutOfOrder();
        _ooo ??= new Sample[chunkSamples];
        _ooo[_oooCount++] = sample;
    }

    /// <summary>Seals both buffers; called on a frozen generation once its writers have drained.</summary>
    public void SealAll()
    {
        if (_openCount > 0)
            SealOpen();
        if (_oooCount > 0)
            SealOutOfOrder();
    }

    public IReadOnlyList<SealedChunk> Sealed => _sealed;

    /// <summary>Adds this head's runs that overlap <c>[from, to)</c>; open buffers are copied (they keep changing).</summary>
    public void CollectSources(List<SampleSource> destination, long from, long to)
    {
        foreach (var chunk in _sealed)
        {
            if (chunk.MaxTimestamp >= from && chunk.MinTimestamp < to)
                destination.Add(SampleSource.FromEncoded(chunk.Data, chunk.Seq, chunk.MinTimestamp, chunk.MaxTimestamp));
        }
        if (_openCount > 0 && _open[_openCount - 1].Timestamp >= from && _open[0].Timestamp < to)
            destination.Add(SampleSource.FromSamples(_open.AsSpan(0, _openCount).ToArray(), _openSeq));
        if (_oooCount > 0)
        {
            var sorted = SortLastWriteWins(_ooo.AsSpan(0, _oooCount));
            if (sorted[^1].Timestamp >= from && sorted[0].Timestamp < to)
                destination.Add(SampleSource.FromSamples(sorted, Generation.MaxSeq));
        }
    }

    private void SealOpen()
    {
        var samples = _open.AsSpan(0, _openCount);
        _sealed.Add(new SealedChunk(ChunkCodec.Encode(samples), _openSeq, samples[0].Timestamp, samples[^1].Timestamp, samples.Length));
        samples.Clear();
        _openCount = 0;
    }

    private void SealOutOfOrder()
    {
        var sorted = SortLastWriteWins(_ooo.AsSpan(0, _oooCount));
        _sealed.Add(new SealedChunk(ChunkCodec.Encode(sorted), Generation.NextSeq(), sorted[0].Timestamp, sorted[^1].Timestamp, sorted.Length));
        _ooo.AsSpan(0, _oooCount).Clear();
        _oooCount = 0;
    }

    /// <summary>Sorts by timestamp; of equal timestamps the one appended last is kept (a stable sort, then a forward scan).</summary>
    internal static Sample[] SortLastWriteWins(ReadOnlySpan<Sample> samples)
    {
        var order = new int[samples.Length];
        var keys = new long[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            keys[i] = samples[i].Timestamp;
            order[i] = i;
        }
        // Sorting (timestamp, index) pairs makes the unstable Array.Sort stable.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        var result = new List<Sample>(samples.Length);
        for (var i = 0; i < order.Length; i++)
        {
            if (i + 1 < order.Length && keys[order[i + 1]] == keys[order[i]])
                continue;
            result.Add(samples[order[i]]);
        }
        return [.. result];
    }
}

/// <summary>A compressed head chunk with its write sequence.</summary>
internal readonly record struct SealedChunk(byte[] Data, long Seq, long MinTimestamp, long MaxTimestamp, int Count);
