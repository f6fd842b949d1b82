namespace Fabrica.Storage.Wal;

/// <summary>Settings of the write-ahead log; the engine maps them from <see cref="StorageOptions"/>.</summary>
/// <param name="SegmentBytes">A segment is closed and the next one started once a commit would grow it past this size.</param>
/// <param name="GroupCommitWindow">How long the committer waits after the first pending append to gather more (zero = at once).</param>
internal sealed record WalOptions(long SegmentBytes, TimeSpan GroupCommitWindow)
{
    /// <summary>
    /// Segments are zero-filled ahead of the logical end in chunks of this size (0 = append-extend).
    /// On ext4 an fsync that only overwrites allocated blocks skips the block allocation and the size update in
    /// the journal: measured 0.08 ms instead of 0.13–0.18 ms for a 4 KiB commit (docs/benchmarks.md).
    /// Replay treats an all-zero record header as the end of the written data.
    /// </summary>
    public int PreallocationChunkBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Appends accepted but not yet committed; further appends wait (backpressure).</summary>
    public int MaxPendingAppends { get; init; } = 4096;

    /// <summary>A group commit is written and fsynced once its encoded records reach this size.</summary>
    public int MaxCommitBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Opens segment files for writing; tests substitute a file that fails on demand.</summary>
    public Func<string, IWalFile>? FileFactory { get; init; }
}

/// <summary>What <see cref="WriteAheadLog.Open"/> replayed and repaired.</summary>
/// <param name="Segments">Numbers of the segments found, oldest first (the segment opened for appends is not included).</param>
internal sealed record WalReplayReport(long Records, long Samples, IReadOnlyList<string> Repairs, IReadOnlyList<long> Segments);

/// <summary>Receives the samples of one replayed record; the span is only valid during the call.</summary>
internal delegate void ReplayHandler(ReadOnlySpan<SeriesSample> samples);
