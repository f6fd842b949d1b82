namespace Fabrica.Storage.Head;

/// <summary>
/// One generation of the in-memory head: everything written between two flushes. A flush freezes the live generation
/// (new writes go to the next one), waits for the writers already inside it, and writes it to one block.
/// Write sequences are <c>(generation id &lt;&lt; 32) | local counter</c>, so every sequence of a younger
/// generation is larger than every sequence of an older one, whatever order chunks are sealed in.
/// </summary>
internal sealed class HeadGeneration
{
    private readonly List<SeriesHead> _series = [];
    private readonly Lock _seriesGate = new();
    private long _localSeq;
    private long _samples;
    private int _writers;
    private volatile bool _frozen;

    public HeadGeneration(long id) => Id = id;

    public long Id { get; }

    /// <summary>The sequence an unsealed out-of-order buffer reads with: it is the newest data of its generation.</summary>
    public long MaxSeq => (Id << 32) | 0xFFFF_FFFFL;

    public long MinSeq => Id << 32;

    public long Samples => Interlocked.Read(ref _samples);

    public bool IsFrozen => _frozen;

    public long NextSeq()
    {
        var local = Interlocked.Increment(ref _localSeq);
        if (local >= 0xFFFF_FFFFL)
            throw new InvalidOperationException("A head generation ran out of write sequences; flush more often.");
        return (Id << 32) | local;
    }

    public void AddSamples(long count) => Interlocked.Add(ref _samples, count);

    /// <summary>
    /// Enters as a writer unless the generation is frozen. Increment-then-check here and set-then-check in
    /// <see cref="Freeze"/> (both full fences) guarantee that a freezer either sees this writer or the writer sees the freeze.
    /// </summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _writers);
        if (!_frozen)
            return true;
        Interlocked.Decrement(ref _writers);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _writers);

    public void Freeze()
    {
        _frozen = true;
        Interlocked.MemoryBarrier();
    }

    /// <summary>Waits until writers that entered before the freeze have inserted (they await their WAL fsync first).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _writers) != 0)
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
    }

    public void Register(SeriesHead head)
    {
        lock (_seriesGate)
            _series.Add(head);
    }

    public SeriesHead[] SeriesSnapshot()
    {
        lock (_seriesGate)
            return [.. _series];
    }
}
