using System.Diagnostics;
using Fabrica.Storage.Blocks;
using Fabrica.Storage.Head;
using Fabrica.Storage.Query;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>
    /// Writes the head to a block: rotate the WAL, freeze the live generation (new writes go to a fresh one), write
    /// one block for it, publish it, then delete the WAL segments it covers. Queries see frozen generation, blocks
    /// and live head throughout; the frozen generation leaves the query set in the same step its block enters it.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunExclusiveAsync(FlushCoreAsync, cancellationToken);
    }

    /// <summary>Flush, compaction, retention and backup run one at a time: each relies on a stable block set.</summary>
    private async Task RunExclusiveAsync(Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        await _maintenance.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await operation(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenance.Release();
        }
    }

    private async Task FlushCoreAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _flushRequested, 0);
        // Every record in a segment before this one was appended by a writer of a generation frozen below.
        var newSegment = await _wal.RotateSegmentAsync(cancellationToken).ConfigureAwait(false);
        HeadGeneration frozen;
        lock (_stateGate)
        {
            var state = _state;
            frozen = state.Live;
            _state = state with { Heads = state.Heads.Add(new HeadGeneration(Interlocked.Increment(ref _nextId))) };
        }
        frozen.Freeze();
        // Older generations are still here only if an earlier flush failed; they go first, in order.
        foreach (var generation in _state.Heads)
        {
            if (!generation.IsFrozen)
                break;
            await generation.DrainAsync(cancellationToken).ConfigureAwait(false);
            await Task.Run(() => WriteGeneration(generation), cancellationToken).ConfigureAwait(false);
        }
        _wal.DeleteSegmentsBefore(newSegment);
    }

    private void WriteGeneration(HeadGeneration generation)
    {
        var started = Stopwatch.GetTimestamp();
        var heads = generation.SeriesSnapshot();
        foreach (var head in heads)
        {
            lock (head.Owner.Gate)
                head.SealAll();
        }
        Block? block = null;
        long samples = 0;
        if (generation.Samples > 0)
        {
            var id = Interlocked.Increment(ref _nextId);
            var blocks = _state.Blocks;
            using var writer = BlockWriter.Create(_blocksDirectory, id);
            var merged = new List<Sample>();
            foreach (var head in heads)
            {
                var sources = new List<SampleSource>(head.Sealed.Count);
                foreach (var chunk in head.Sealed)
                    sources.Add(SampleSource.FromEncoded(chunk.Data, chunk.Seq, chunk.MinTimestamp, chunk.MaxTimestamp));
                merged.Clear();
                var sink = new RawSink(merged, int.MaxValue);
                SampleMerger.Merge(sources, long.MinValue, long.MaxValue, ref sink);
                var rollups = RollupBuilder.Build(head.Owner.Key, [.. merged], generation.MaxSeq, blocks, _tiers.Resolutions, Volatile.Read(ref _rawHorizon));

                writer.BeginSeries(head.Owner.Key);
                foreach (var chunk in head.Sealed)
                    writer.AddChunk(chunk.Data, chunk.Seq);
                for (var t = 0; t < rollups.Length; t++)
                    writer.AddRollups(_tiers.Resolutions[t], System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rollups[t]));
                writer.EndSeries();
                samples += merged.Count;
            }
            var (path, _, bytes) = writer.Complete(generation.MinSeq, generation.MaxSeq, UnixTime.Now(_time), []);
            block = Block.Open(path, verifyEveryChunk: false);
            Log.Flushed(_logger, generation.Id, path, heads.Length, samples, bytes, Stopwatch.GetElapsedTime(started));
        }
        lock (_stateGate)
        {
            var state = _state;
            _state = new EngineState(block is null ? state.Blocks : state.Blocks.Add(block), state.Heads.Remove(generation));
        }
        // Only now may the generation's runs disappear from the series (see CollectHeadSources).
        foreach (var head in heads)
        {
            lock (head.Owner.Gate)
                head.Owner.Unlink(head);
        }
        _metrics.FlushDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private void RequestFlush()
    {
        try
        {
            _flushSignal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A flush is already requested.
        }
    }

    private void StartBackground()
    {
        // Timers take at most ~49 days; a longer interval is as good as none. Zero or less disables the timer.
        var interval = _options.FlushInterval <= TimeSpan.Zero
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromMilliseconds(Math.Min(_options.FlushInterval.TotalMilliseconds, uint.MaxValue - 1.0));
        _flushTimer = _time.CreateTimer(static state => ((TimeSeriesEngine)state!).RequestFlush(), this, interval, interval);
        _background = Task.Run(() => RunBackgroundAsync(_stopping.Token));
    }

    /// <summary>Flush on the timer or when the head is full; then compact small blocks and apply retention.</summary>
    private async Task RunBackgroundAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _flushSignal.WaitAsync(stoppingToken).ConfigureAwait(false);
            await RunMaintenanceStepAsync("flush", FlushCoreAsync, stoppingToken).ConfigureAwait(false);
            await RunMaintenanceStepAsync("compaction", ct => CompactCoreAsync(background: true, ct), stoppingToken).ConfigureAwait(false);
            await RunMaintenanceStepAsync("retention", ApplyRetentionCoreAsync, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunMaintenanceStepAsync(string operation, Func<CancellationToken, Task> step, CancellationToken stoppingToken)
    {
        try
        {
            await RunExclusiveAsync(step, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BlockFormatException or InvalidOperationException)
        {
            Log.MaintenanceFailed(_logger, operation, ex);
        }
    }
}
