namespace Fabrica.Storage;

/// <summary>Settings of the embedded time-series engine. Defaults suit one factory on one machine.</summary>
public sealed record StorageOptions
{
    /// <summary>Directory that holds <c>wal/</c>, <c>blocks/</c> and nothing else of the engine.</summary>
    public required string Directory { get; init; }

    /// <summary>A WAL segment is closed and a new one started past this size.</summary>
    public long WalSegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long the group committer may wait to gather more writes before one fsync (0 = commit at once).</summary>
    public TimeSpan GroupCommitWindow { get; init; } = TimeSpan.Zero;

    /// <summary>Samples per sealed head chunk (Prometheus uses 120; larger chunks compress better).</summary>
    public int ChunkSamples { get; init; } = 240;

    /// <summary>The head is flushed to a block at least this often, and earlier when it holds <see cref="HeadMaxSamples"/>.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMinutes(15);

    public long HeadMaxSamples { get; init; } = 20_000_000;

    /// <summary>Retention tiers; the first is raw data (resolution zero). See <see cref="RetentionTier"/>.</summary>
    public IReadOnlyList<RetentionTier> Tiers { get; init; } = RetentionTier.Defaults;

    /// <summary>
    /// Compaction merges runs of adjacent blocks into blocks of up to about this size. The background merges once four
    /// or more adjacent blocks are each under an eighth of it; <c>CompactAsync</c> merges any run of two or more.
    /// </summary>
    public long CompactionBlockBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Check every chunk's CRC at open (one sequential read of all blocks) so that damage is reported at start.
    /// Without it only headers, footers and indexes are checked at open; chunks are still checked on every read.
    /// </summary>
    public bool VerifyBlocksOnOpen { get; init; } = true;

    /// <summary>Samples further than this ahead of the server clock are rejected by ingest.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);
}

/// <summary>
/// One tier of tiered retention: data at <see cref="Resolution"/> (zero = raw samples) is kept for
/// <see cref="Retention"/>. Roll-up tiers hold min/max/sum/count/first/last per bucket.
/// </summary>
public sealed record RetentionTier(TimeSpan Resolution, TimeSpan Retention)
{
    public static IReadOnlyList<RetentionTier> Defaults { get; } =
    [
        new(TimeSpan.Zero, TimeSpan.FromDays(30)),
        new(TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)),
        new(TimeSpan.FromHours(1), TimeSpan.FromDays(3650)),
    ];
}
