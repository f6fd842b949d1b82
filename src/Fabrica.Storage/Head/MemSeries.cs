namespace Fabrica.Storage.Head;

/// <summary>
/// A series as the engine knows it in memory, for its whole life: its lock, its head data per unflushed generation
/// (newest first, linked through <see cref="SeriesHead.Older"/>) and what <c>ReadLatest</c> and <c>ListSeries</c>
/// answer from without touching blocks. All mutable fields are guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class MemSeries
{
    public MemSeries(SeriesKey key) => Key = key;

    public SeriesKey Key { get; }

    public Lock Gate { get; } = new();

    public SeriesHead? Head;

    public Sample Latest;

    public bool HasLatest;

    /// <summary>Newest timestamp held in blocks whose sample has not been read yet (long.MinValue when none).</summary>
    public long UnresolvedBlockLatest = long.MinValue;

    public long FirstTimestamp = long.MaxValue;

    public long LastTimestamp = long.MinValue;

    public ValueKind LastKind;

    /// <summary>The head data of this series in <paramref name="generation"/>, created on first use.</summary>
    public SeriesHead HeadFor(HeadGeneration generation)
    {
        if (Head is { } newest && ReferenceEquals(newest.Generation, generation))
            return newest;
        SeriesHead? younger = null;
        var current = Head;
        while (current is not null && current.Generation.Id > generation.Id)
        {
            younger = current;
            current = current.Older;
        }
        if (current is not null && ReferenceEquals(current.Generation, generation))
            return current;
        // Only a writer that entered an older generation just before a flush froze it gets here with younger != null.
        var created = new SeriesHead(this, generation) { Older = current };
        if (younger is null)
            Head = created;
        else
            younger.Older = created;
        generation.Register(created);
        return created;
    }

    /// <summary>Drops the head data of a generation that is now served from its block.</summary>
    public void Unlink(SeriesHead head)
    {
        if (ReferenceEquals(Head, head))
        {
            Head = head.Older;
            return;
        }
        for (var current = Head; current is not null; current = current.Older)
        {
            if (ReferenceEquals(current.Older, head))
            {
                current.Older = head.Older;
                return;
            }
        }
    }

    public void Observe(in Sample sample)
    {
        if (!HasLatest || sample.Timestamp >= Latest.Timestamp)
        {
            Latest = sample;
            HasLatest = true;
        }
        if (sample.Timestamp < FirstTimestamp)
            FirstTimestamp = sample.Timestamp;
        if (sample.Timestamp >= LastTimestamp)
        {
            LastTimestamp = sample.Timestamp;
            LastKind = sample.Value.Kind;
        }
    }
}
