using System.Diagnostics;
using Fabrica.Storage.Blocks;
using Fabrica.Storage.Query;
using Fabrica.Storage.Retention;
using Fabrica.IO;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>Merges runs of small, sequence-adjacent blocks into bigger ones, resolving duplicates.</summary>
    public Task CompactAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunExclusiveAsync(ct => CompactCoreAsync(background: false, ct), cancellationToken);
    }

    private async Task CompactCoreAsync(bool background, CancellationToken cancellationToken)
    {
        foreach (var run in BlockCompactor.Plan(_state.Blocks, _options.CompactionBlockBytes, background))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            var id = Interlocked.Increment(ref _nextId);
            var (path, bytes) = await Task.Run(() => BlockCompactor.Compact(run, _blocksDirectory, id, _options.ChunkSamples, UnixTime.Now(_time)), cancellationToken)
                .ConfigureAwait(false);
            // The new block is durable and lists the run as replaced: from here a crash leaves a readable,
            // duplicate-free state, because recovery deletes whatever of the run is still there.
            Replace(run, Block.Open(path, verifyEveryChunk: false));
            _metrics.CompactionDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            Log.Compacted(_logger, run.Count, path, bytes, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Drops raw data older than the raw tier's retention (roll-ups stay), then roll-ups older than theirs. The raw
    /// horizon is made durable first: from then on roll-up maintenance knows that raw data before it may be gone.
    /// </summary>
    public Task ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunExclusiveAsync(ApplyRetentionCoreAsync, cancellationToken);
    }

    private Task ApplyRetentionCoreAsync(CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(_time);
        var rawCutoff = RawCutoff(now);
        var rollupCutoffs = new Dictionary<long, long>();
        for (var t = 0; t < _tiers.Resolutions.Count; t++)
            rollupCutoffs[_tiers.Resolutions[t]] = Buckets.Floor(SaturatingSubtract(now, _tiers.Retentions[t]), _tiers.Resolutions[t]);
        if (rawCutoff > Volatile.Read(ref _rawHorizon))
        {
            RawHorizonFile.Write(_options.Directory, rawCutoff);
            Volatile.Write(ref _rawHorizon, rawCutoff);
        }
        int rewritten = 0, deleted = 0;
        foreach (var block in _state.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (block.IsDamaged || !RetentionRewriter.NeedsRewrite(block, rawCutoff, rollupCutoffs))
                continue;
            var path = RetentionRewriter.Rewrite(block, _blocksDirectory, Interlocked.Increment(ref _nextId), rawCutoff, rollupCutoffs, now);
            Replace([block], path is null ? null : Block.Open(path, verifyEveryChunk: false));
            if (path is null)
                deleted++;
            else
                rewritten++;
        }
        if (rewritten + deleted > 0)
            Log.RetentionApplied(_logger, rawCutoff, rewritten, deleted);
        return Task.CompletedTask;
    }

    private long RawCutoff(long now) => Buckets.Floor(SaturatingSubtract(now, _tiers.RawRetention), _tiers.Coarsest);

    private static long SaturatingSubtract(long now, TimeSpan span)
    {
        var ms = (long)Math.Min(span.TotalMilliseconds, long.MaxValue / 4);
        return now - ms;
    }

    /// <summary>Publishes <paramref name="replacement"/> in place of <paramref name="old"/>, then deletes the old files.</summary>
    private void Replace(IReadOnlyList<Block> old, Block? replacement)
    {
        lock (_stateGate)
        {
            var state = _state;
            var blocks = state.Blocks.RemoveRange(old);
            if (replacement is not null)
                blocks = blocks.Add(replacement).Sort(static (a, b) => a.Meta.MinSeq.CompareTo(b.Meta.MinSeq));
            _state = state with { Blocks = blocks };
        }
        foreach (var block in old)
        {
            File.Delete(block.Path);
            // A query still reading a large block gets ObjectDisposedException and retries on the new state.
            block.Dispose();
        }
        DurableDirectory.Sync(_blocksDirectory);
    }
}
